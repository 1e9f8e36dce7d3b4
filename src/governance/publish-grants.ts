// The grants a model's relation must carry the instant it is published: what the roles reading
// or writing its schema get on every relation there, and the model's own `grants:`. They run in
// the transaction that makes the relation visible (run/materializations/publication.ts), so a
// rebuilt table is never readable without them and never unreadable to those who had them; the
// end-of-run reconcile then finds nothing to add for it. A held relation (governance-holds.ts),
// or one withheld because its governance tests have not run yet, gets nothing for roles without
// `pii: true`. Schema USAGE is not part of it: a schema outlives its rebuilt relations, so the
// reconcile's USAGE stays; and GRANTs on one schema from concurrent builds would collide
// (PostgreSQL: "tuple concurrently updated").

import { relationGrantSql } from './grant-sql.js';
import type { GrantPolicy } from './grant-policy.js';
import { heldKey, type HeldRelation } from './grant-state.js';
import { comparePrivileges, READ_RELATION_PRIVILEGES, writeRelationPrivileges } from './privileges.js';

export interface PublishOptions {
  /** Leave roles without `pii: true` out, whether or not the relation is held. */
  readonly withholdFromReaders?: boolean;
}

export function publishGrantStatements(policy: GrantPolicy, relation: HeldRelation, kind: 'table' | 'view', options: PublishOptions = {}): string[] {
  const barred = options.withholdFromReaders || policy.held?.has(heldKey(relation));
  const privilegesOf = new Map<string, Set<string>>();
  const add = (role: string, privileges: readonly string[]): void => {
    const set = privilegesOf.get(role) ?? new Set<string>();
    for (const privilege of privileges) set.add(privilege);
    privilegesOf.set(role, set);
  };
  const write = writeRelationPrivileges(policy.dialect);
  for (const role of policy.roles) {
    if (barred && !role.allowsPii) continue;
    if (role.readSchemas.includes(relation.schema)) add(role.name, READ_RELATION_PRIVILEGES);
    if (kind === 'table' && role.writeSchemas.includes(relation.schema)) add(role.name, write);
  }
  const allowsPii = new Map(policy.roles.map((role) => [role.name, role.allowsPii]));
  for (const grant of policy.modelGrants) {
    if (grant.schema !== relation.schema || grant.relation !== relation.relation) continue;
    if (barred && !allowsPii.get(grant.role)) continue;
    add(grant.role, [grant.privilege]);
  }
  return [...privilegesOf.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([role, privileges]) => relationGrantSql(policy.dialect, 'grant', [...privileges].sort(comparePrivileges), relation.schema, relation.relation, role));
}
