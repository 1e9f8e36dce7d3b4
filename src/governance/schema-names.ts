// How a schema named under `governance.roles.<role>.read/write` maps to a warehouse schema:
// the raw schema and pgshift_meta by their own name, `default` to the target schema, and any
// other name X to `<target.schema>_X`, the schema a model with `+schema: X` builds into.

import { defaultSchemaName } from '../manifest/schema-naming.js';
import { META_SCHEMA } from '../batch/meta-schema.js';

export interface SchemaNaming {
  /** `raw_schema` of pgshift.yml. */
  readonly rawSchema: string;
  /** The target's schema (`analytics`). */
  readonly targetSchema: string;
}

export function resolveGovernanceSchema(name: string, naming: SchemaNaming): string {
  if (name === naming.rawSchema || name === META_SCHEMA) return name;
  if (name === 'default') return naming.targetSchema;
  // The same rule dbt's generate_schema_name applies to +schema, so `marts` names the marts.
  return defaultSchemaName(naming.targetSchema, name);
}
