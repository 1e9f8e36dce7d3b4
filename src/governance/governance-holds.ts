// Holds: relations a governance test (no_pii, or one tagged governance) found failing. While a
// relation is held, no role without `pii: true` holds any privilege on it: the hold revokes
// theirs at once, and every reconcile leaves them out (desired-grants.ts). One row per failing
// test, in the warehouse next to pgshift's other records, so a later run that does not rebuild
// or retest the model still keeps it from those roles; the test passing again lifts its row.

import { META_SCHEMA } from '../batch/meta-schema.js';
import { quoteIdent, quoteQualified } from '../sql/quote-ident.js';
import type { Statement, StatementOptions, Warehouse } from '../warehouse/warehouse.js';
import { relationGrantSql } from './grant-sql.js';
import type { GrantPolicy } from './grant-policy.js';
import type { GrantSnapshot, HeldRelation } from './grant-state.js';

export { type HeldRelation, heldKey } from './grant-state.js';

export const HOLDS_TABLE = 'governance_holds';
const HOLDS = quoteQualified(META_SCHEMA, HOLDS_TABLE);

export interface GovernanceHold extends HeldRelation {
  readonly testId: string;
  readonly model: string;
  readonly failures: number;
  readonly heldAt: string;
}

function holdsTableStatements(warehouse: Warehouse): string[] {
  const text = warehouse.dialect === 'redshift' ? 'varchar(512)' : 'text';
  return [
    `create schema if not exists ${quoteIdent(META_SCHEMA)}`,
    `create table if not exists ${HOLDS} (
  schema_name ${text} not null,
  relation_name ${text} not null,
  test_id ${text} not null,
  model ${text} not null,
  failures bigint not null,
  held_at ${text} not null
)`,
  ];
}

/** Every hold in the warehouse; none when the table was never created. */
export async function readHolds(warehouse: Warehouse, options: StatementOptions = {}): Promise<GovernanceHold[]> {
  if ((await warehouse.describeTable(META_SCHEMA, HOLDS_TABLE)) === undefined) return [];
  const rows = await warehouse.query<Record<string, unknown>>(
    `select schema_name, relation_name, test_id, model, failures, held_at from ${HOLDS} order by schema_name, relation_name, test_id`,
    [],
    options,
  );
  return rows.map((row) => ({
    schema: String(row.schema_name),
    relation: String(row.relation_name),
    testId: String(row.test_id),
    model: String(row.model),
    failures: Number(row.failures),
    heldAt: String(row.held_at),
  }));
}

/**
 * Records the hold and revokes, in the same transaction (on Redshift one BatchExecuteStatement,
 * which runs as a single transaction, the way the reconcile already runs its REVOKEs:
 * https://docs.aws.amazon.com/redshift-data/latest/APIReference/API_BatchExecuteStatement.html,
 * https://docs.aws.amazon.com/redshift/latest/dg/r_REVOKE.html), every privilege a role without
 * `pii: true` holds on the relation now (read from `snapshot`, taken just before).
 */
export async function placeHold(
  warehouse: Warehouse,
  policy: GrantPolicy,
  snapshot: GrantSnapshot,
  hold: GovernanceHold,
  options: StatementOptions = {},
): Promise<string[]> {
  for (const sql of holdsTableStatements(warehouse)) await warehouse.execute(sql, [], options);
  const revokes = revokesFromReaders(policy, snapshot, hold);
  const statements: Statement[] = [
    { sql: `delete from ${HOLDS} where schema_name = $1 and relation_name = $2 and test_id = $3`, params: [hold.schema, hold.relation, hold.testId] },
    {
      sql: `insert into ${HOLDS} (schema_name, relation_name, test_id, model, failures, held_at) values ($1, $2, $3, $4, $5, $6)`,
      params: [hold.schema, hold.relation, hold.testId, hold.model, hold.failures, hold.heldAt],
    },
    ...revokes.map((sql) => ({ sql })),
  ];
  await warehouse.transaction(statements, options);
  return revokes;
}

export async function liftHold(warehouse: Warehouse, relation: HeldRelation, testId: string, options: StatementOptions = {}): Promise<void> {
  await warehouse.execute(
    `delete from ${HOLDS} where schema_name = $1 and relation_name = $2 and test_id = $3`,
    [relation.schema, relation.relation, testId],
    options,
  );
}

/** REVOKEs of what roles not allowed PII hold on the relation, one statement per role. */
export function revokesFromReaders(policy: GrantPolicy, snapshot: GrantSnapshot, relation: HeldRelation): string[] {
  const barred = new Set(policy.roles.filter((role) => !role.allowsPii).map((role) => role.name));
  const byRole = new Map<string, string[]>();
  for (const grant of snapshot.relationPrivileges) {
    if (!barred.has(grant.role) || grant.schema !== relation.schema || grant.relation !== relation.relation) continue;
    byRole.set(grant.role, [...(byRole.get(grant.role) ?? []), grant.privilege]);
  }
  return [...byRole.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([role, privileges]) => relationGrantSql(policy.dialect, 'revoke', privileges, relation.schema, relation.relation, role));
}
