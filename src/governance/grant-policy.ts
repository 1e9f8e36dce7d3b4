// The declared side of governance, before any catalog is read: warehouse role names, the
// schemas each role reads and writes, the per-model `grants:` configs, and the schemas
// governance manages (where privileges of managed roles that nobody declared get revoked).

import type { Manifest } from '../manifest/manifest.js';
import type { GovernanceSettings, Project } from '../config/project.js';
import { ConfigError } from '../errors.js';
import { META_SCHEMA } from '../batch/meta-schema.js';
import type { Dialect } from '../warehouse/warehouse.js';
import { type HeldRelation, heldKey } from './grant-state.js';
import { grantableRelationPrivileges } from './privileges.js';
import { resolveGovernanceSchema, type SchemaNaming } from './schema-names.js';

export interface ManagedRole {
  /** The role in the warehouse: `role_prefix` + the declared name. */
  readonly name: string;
  /** The name pgshift.yml and `grants:` configs use. */
  readonly declaredAs: string;
  /** Resolved schema names; write schemas are readable too. */
  readonly readSchemas: readonly string[];
  readonly writeSchemas: readonly string[];
  /** `pii: true` in pgshift.yml: may read unmasked PII and models held back by a governance test. */
  readonly allowsPii: boolean;
}

/** One privilege a model's `grants:` config gives a role on the model's relation. */
export interface ModelGrant {
  readonly model: string;
  readonly schema: string;
  readonly relation: string;
  readonly privilege: string;
  readonly role: string;
}

export interface GrantPolicy {
  readonly dialect: Dialect;
  readonly roles: readonly ManagedRole[];
  readonly modelGrants: readonly ModelGrant[];
  /** Sorted; privileges of managed roles in these schemas are reconciled, elsewhere left alone. */
  readonly managedSchemas: readonly string[];
  /** heldKey() of relations a governance test holds: roles without `pii: true` get nothing on them. */
  readonly held?: ReadonlySet<string>;
}

/** A model or seed as the manifest holds it: where it lives and its `grants:` config. */
export interface GrantableNode {
  readonly unique_id: string;
  readonly schema: string;
  readonly alias: string;
  /** null for ephemeral models, which have no relation to grant on. */
  readonly relation_name: string | null;
  readonly original_file_path: string;
  readonly config: { readonly grants: Readonly<Record<string, readonly string[]>> };
}

export interface GrantPolicyInput extends SchemaNaming {
  readonly governance: Pick<GovernanceSettings, 'rolePrefix' | 'roles'>;
  readonly dialect: Dialect;
  readonly nodes?: readonly GrantableNode[];
}

export function buildGrantPolicy(input: GrantPolicyInput): GrantPolicy {
  const { governance, dialect } = input;
  const roles: ManagedRole[] = governance.roles.map((role) => {
    const name = `${governance.rolePrefix}${role.name}`;
    const writeSchemas = unique(role.write.map((schema) => resolveGovernanceSchema(schema, input)));
    // Writing implies reading: UPDATE and DELETE with a WHERE clause need SELECT in both warehouses.
    const readSchemas = unique([...role.read.map((schema) => resolveGovernanceSchema(schema, input)), ...writeSchemas]);
    return { name, declaredAs: role.name, readSchemas, writeSchemas, allowsPii: role.pii === true };
  });
  const byDeclaredName = new Map(roles.map((role) => [role.declaredAs, role]));
  const allowed = grantableRelationPrivileges(dialect);
  const modelGrants: ModelGrant[] = [];
  const nodes = input.nodes ?? [];
  for (const node of nodes) {
    for (const [privilege, grantees] of Object.entries(node.config.grants)) {
      const context = { model: node.unique_id, file: node.original_file_path };
      if (!allowed.includes(privilege)) {
        throw new ConfigError(
          `${node.original_file_path}: ${node.unique_id} grants '${privilege}', which a ${dialect} table cannot be granted; use one of ${allowed.join(', ')}`,
          { ...context, privilege },
        );
      }
      for (const grantee of grantees) {
        const role = byDeclaredName.get(grantee);
        if (!role) {
          const declared = [...byDeclaredName.keys()];
          const known = declared.length > 0 ? `declared roles: ${declared.join(', ')}` : 'pgshift.yml declares no roles';
          throw new ConfigError(
            `${node.original_file_path}: ${node.unique_id} grants ${privilege} to role '${grantee}', which is not declared under governance.roles in pgshift.yml (${known})`,
            { ...context, role: grantee },
          );
        }
        // Ephemeral models have no relation; the grant has nothing to apply to.
        if (node.relation_name !== null) modelGrants.push({ model: node.unique_id, schema: node.schema, relation: node.alias, privilege, role: role.name });
      }
    }
  }
  const managedSchemas = unique([
    input.rawSchema,
    META_SCHEMA,
    input.targetSchema,
    ...roles.flatMap((role) => role.readSchemas),
    ...nodes.filter((node) => node.relation_name !== null).map((node) => node.schema),
  ]).sort();
  return { dialect, roles, modelGrants, managedSchemas };
}

/** The policy for one run: the project's governance, the target, the compiled models and seeds. */
export function grantPolicyForRun(
  project: Project,
  target: { readonly type: Dialect; readonly schema: string },
  manifest: Pick<Manifest, 'nodes'>,
  held: readonly HeldRelation[] = [],
): GrantPolicy {
  const nodes = Object.values(manifest.nodes).filter(
    (node): node is Extract<typeof node, GrantableNode> => node.resource_type === 'model' || node.resource_type === 'seed',
  );
  const policy = buildGrantPolicy({ governance: project.governance, rawSchema: project.rawSchema, targetSchema: target.schema, dialect: target.type, nodes });
  return { ...policy, held: new Set(held.map(heldKey)) };
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
