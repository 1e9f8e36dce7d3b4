// Who can read what, as an auditor asks it: for each managed role and each relation in the
// managed schemas, whether the role can read it now, which unmasked PII columns that gives it,
// and every place where a role without `pii: true` reads one (a leak). A pure function of the
// policy, a catalog snapshot and the classified columns the manifest knows.

import type { PiiClass } from '../config/project-schema.js';
import type { GrantPolicy, ManagedRole } from './grant-policy.js';
import type { GrantSnapshot } from './grant-state.js';

export interface ClassifiedColumn {
  readonly name: string;
  readonly pii: PiiClass;
}

/** A relation the manifest builds or loads, with its columns that hold unmasked PII. */
export interface ManifestRelation {
  readonly schema: string;
  readonly name: string;
  /** `model.shop.stg_customers`, `source.shop.customers`, `seed.shop.countries`. */
  readonly node: string;
  readonly resourceType: 'model' | 'seed' | 'source' | 'snapshot';
  /** Where the relation is defined: the model's SQL file; a source's schema.yml, or pgshift.yml when none describes it. */
  readonly file: string;
  readonly classifiedColumns: readonly ClassifiedColumn[];
}

export interface AccessRole {
  /** The name pgshift.yml uses. */
  readonly declaredAs: string;
  /** The role in the warehouse. */
  readonly name: string;
  readonly allowsPii: boolean;
  /** false until a run has created it. */
  readonly exists: boolean;
}

export interface AccessCell {
  readonly role: string;
  /** USAGE on the schema and SELECT on the relation (or ownership of each), now. */
  readonly read: boolean;
  readonly via: 'owner' | 'grant' | null;
  /** Whether pgshift.yml gives the role this read (its `read:` schemas or a model's `grants:`). */
  readonly declared: boolean;
  /** The classified columns `read` gives the role; empty when it cannot read. */
  readonly piiColumns: readonly ClassifiedColumn[];
}

export interface AccessRelation {
  readonly schema: string;
  readonly name: string;
  /** null when the relation is not built yet. */
  readonly kind: 'table' | 'view' | null;
  readonly built: boolean;
  /** null for a relation the manifest does not know (pgshift_meta's tables, a hand-made table). */
  readonly node: string | null;
  readonly resourceType: ManifestRelation['resourceType'] | null;
  readonly file: string | null;
  readonly classifiedColumns: readonly ClassifiedColumn[];
  /** In the order of AccessMatrix.roles. */
  readonly cells: readonly AccessCell[];
}

export interface AccessLeak {
  /** Declared name and warehouse name of the role. */
  readonly role: string;
  readonly warehouseRole: string;
  readonly schema: string;
  readonly relation: string;
  readonly node: string | null;
  readonly column: string;
  readonly pii: PiiClass;
  readonly declared: boolean;
  /** What to do about it, in one sentence. */
  readonly fix: string;
}

export interface AccessMatrix {
  readonly roles: readonly AccessRole[];
  /** Sorted by schema, then name. */
  readonly relations: readonly AccessRelation[];
  readonly leaks: readonly AccessLeak[];
}

export function accessMatrix(policy: GrantPolicy, snapshot: GrantSnapshot, manifestRelations: readonly ManifestRelation[]): AccessMatrix {
  const managed = new Set(policy.managedSchemas);
  const existingRoles = new Set(snapshot.roles);
  const roles: AccessRole[] = policy.roles.map((role) => ({
    declaredAs: role.declaredAs,
    name: role.name,
    allowsPii: role.allowsPii,
    exists: existingRoles.has(role.name),
  }));
  const schemaOwners = new Map(snapshot.schemas.map((schema) => [schema.name, schema.owner]));
  const usage = new Set(snapshot.schemaPrivileges.filter((grant) => grant.privilege === 'usage').map((grant) => key(grant.role, grant.schema)));
  const select = new Set(
    snapshot.relationPrivileges.filter((grant) => grant.privilege === 'select').map((grant) => key(grant.role, grant.schema, grant.relation)),
  );
  const declaredSelect = new Set(
    policy.modelGrants.filter((grant) => grant.privilege === 'select').map((grant) => key(grant.role, grant.schema, grant.relation)),
  );
  const catalog = new Map(snapshot.relations.map((relation) => [key(relation.schema, relation.name), relation]));
  const known = new Map(
    manifestRelations.filter((relation) => managed.has(relation.schema)).map((relation) => [key(relation.schema, relation.name), relation]),
  );

  const relations: AccessRelation[] = [...new Set([...catalog.keys(), ...known.keys()])]
    .map((id) => {
      const built = catalog.get(id);
      const fromManifest = known.get(id);
      const schema = built?.schema ?? fromManifest!.schema;
      const name = built?.name ?? fromManifest!.name;
      const classifiedColumns = fromManifest?.classifiedColumns ?? [];
      const cells = policy.roles.map((role): AccessCell => {
        const declared = role.readSchemas.includes(schema) || declaredSelect.has(key(role.name, schema, name));
        if (!built || !existingRoles.has(role.name)) return { role: role.declaredAs, read: false, via: null, declared, piiColumns: [] };
        // Reading takes both: USAGE on the schema gives access to its objects but no privilege on
        // them, SELECT has to be granted on each (Redshift: https://docs.aws.amazon.com/redshift/latest/dg/r_GRANT.html,
        // "Usage … doesn't grant privileges such as INSERT or SELECT on those objects"; PostgreSQL
        // the same). Only direct grants and ownership count: the snapshot holds no column-level
        // grants, PUBLIC, superusers or roles granted to roles.
        const ownsRelation = built.owner === role.name;
        const hasUsage = schemaOwners.get(schema) === role.name || usage.has(key(role.name, schema));
        const hasSelect = ownsRelation || select.has(key(role.name, schema, name));
        const read = hasUsage && hasSelect;
        return { role: role.declaredAs, read, via: read ? (ownsRelation ? 'owner' : 'grant') : null, declared, piiColumns: read ? classifiedColumns : [] };
      });
      return {
        schema,
        name,
        kind: built?.kind ?? null,
        built: built !== undefined,
        node: fromManifest?.node ?? null,
        resourceType: fromManifest?.resourceType ?? null,
        file: fromManifest?.file ?? null,
        classifiedColumns,
        cells,
      };
    })
    .sort((a, b) => compare(a.schema, b.schema) || compare(a.name, b.name));

  const leaks: AccessLeak[] = [];
  for (const relation of relations) {
    relation.cells.forEach((cell, index) => {
      const role = policy.roles[index]!;
      if (role.allowsPii) return;
      for (const column of cell.piiColumns) {
        leaks.push({
          role: role.declaredAs,
          warehouseRole: role.name,
          schema: relation.schema,
          relation: relation.name,
          node: relation.node,
          column: column.name,
          pii: column.pii,
          declared: cell.declared,
          fix: fixFor(role, relation, column, cell.declared),
        });
      }
    });
  }
  return { roles, relations, leaks };
}

function fixFor(role: ManagedRole, relation: AccessRelation, column: ClassifiedColumn, declared: boolean): string {
  const allow = `give role ${role.declaredAs} \`pii: true\` in pgshift.yml if it may read ${column.pii} data`;
  if (!declared) {
    // Reconciling revokes a managed role's undeclared privileges in managed schemas (grant-policy.ts).
    return `pgshift.yml does not grant this read: revoke it, or run pgshift again to reconcile the grants; or ${allow}`;
  }
  const stop = role.readSchemas.includes(relation.schema)
    ? `take ${relation.schema} out of governance.roles.${role.declaredAs}.read`
    : `take ${role.declaredAs} out of the select grants of ${relation.node ?? relation.name}`;
  if (relation.resourceType === 'model') return `mask ${column.name} in ${relation.file} (pii_hash, pii_mask_email, pii_redact, …), or ${stop}, or ${allow}`;
  // Sources and seeds are loaded as they are: only a model in between can mask them.
  return `${stop} and give it a model that masks ${column.name}, or ${allow}`;
}

function key(...parts: string[]): string {
  return JSON.stringify(parts);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
