// Which tests of an incremental model are known to hold on its whole table without reading it.
//
// A row-wise test (not_null, accepted_values, no_pii; unique on the column the model merges on)
// fails on the merged table only if it fails on some row of it. After an audited merge every row
// is either an old row the test passed on, or a row of the increment the audit just passed: so
// the test holds on the whole table as long as (1) the test, exactly as compiled now, passed on
// the whole table once, and (2) every change to the table since was an increment that passed it.
// This table records (1) per relation and test (with a checksum of the test's compiled SQL, so a
// changed or new test is checked on the whole table again), and pgshift forgets a relation's
// records whenever it changes the table without an audit (2). Changes made outside pgshift are
// not seen: a table others write to should be tested with --full-refresh or `pgshift test`.

import { createHash } from 'node:crypto';
import { META_SCHEMA } from '../batch/meta-schema.js';
import type { ModelNode, TestNode } from '../manifest/index.js';
import { quoteIdent, quoteQualified } from '../sql/quote-ident.js';
import type { Statement, StatementOptions, Warehouse } from '../warehouse/warehouse.js';

export const WHOLE_TABLE_CHECKS_TABLE = 'whole_table_checks';
const CHECKS = quoteQualified(META_SCHEMA, WHOLE_TABLE_CHECKS_TABLE);
const ROW_WISE_TESTS = new Set(['not_null', 'accepted_values', 'no_pii']);

export interface TableRef {
  readonly schema: string;
  readonly relation: string;
}

/** The checksum a record is kept under: the test's compiled SQL against the real relation. */
export function testChecksum(test: Pick<TestNode, 'compiled_code'>): string {
  return createHash('sha256').update(test.compiled_code).digest('hex');
}

/**
 * Whether the test's verdict on an increment carries over to the merged table: a row-wise test
 * of the model alone, or `unique` on the model's single merge key (the merge replaces a key's
 * row, so the table holds each key once when the increment does).
 */
export function carriesOverFromIncrement(test: TestNode, model: ModelNode): boolean {
  const name = test.test_metadata?.name;
  if (test.attached_node !== model.unique_id || test.depends_on.nodes.some((id) => id !== model.unique_id) || !name) return false;
  // A package's test of the same name is not ours to reason about; `where:` tests part of the table.
  if (test.test_metadata?.namespace || test.config.where) return false;
  if (ROW_WISE_TESTS.has(name)) return true;
  const keys = model.config.unique_key ?? [];
  const strategy = model.config.incremental_strategy ?? (keys.length > 0 ? 'delete+insert' : 'append');
  return name === 'unique' && strategy !== 'append' && keys.length === 1 && keys[0] === test.column_name;
}

/** test id → checksum of every test recorded as holding on the whole relation; none before the first record. */
export async function readWholeTableChecks(warehouse: Warehouse, table: TableRef, options: StatementOptions = {}): Promise<Map<string, string>> {
  if ((await warehouse.describeTable(META_SCHEMA, WHOLE_TABLE_CHECKS_TABLE)) === undefined) return new Map();
  const rows = await warehouse.query<{ test_id: string; checksum: string }>(
    `select test_id, checksum from ${CHECKS} where schema_name = $1 and relation_name = $2`,
    [table.schema, table.relation],
    options,
  );
  return new Map(rows.map((row) => [String(row.test_id), String(row.checksum)]));
}

/**
 * Records that each test passed on the whole relation. `replace`: the relation's other records
 * go (a new table was checked by these tests only).
 */
export async function recordWholeTableChecks(
  warehouse: Warehouse,
  table: TableRef,
  tests: readonly TestNode[],
  options: StatementOptions & { replace?: boolean } = {},
): Promise<void> {
  if (tests.length === 0 && !options.replace) return;
  await ensureChecksTable(warehouse, options);
  const checkedAt = new Date().toISOString();
  // One transaction: on Redshift one BatchExecuteStatement, which runs its statements as a
  // single transaction; CREATE TABLE IF NOT EXISTS is Redshift's too.
  // https://docs.aws.amazon.com/redshift-data/latest/APIReference/API_BatchExecuteStatement.html
  // https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_TABLE_NEW.html
  const statements: Statement[] = [
    ...(options.replace ? [allOf(table)] : []),
    ...tests.flatMap((test) => [
      deleteStatement(table, test.unique_id),
      {
        sql: `insert into ${CHECKS} (schema_name, relation_name, test_id, checksum, checked_at) values ($1, $2, $3, $4, $5)`,
        params: [table.schema, table.relation, test.unique_id, testChecksum(test), checkedAt],
      },
    ]),
  ];
  await warehouse.transaction(statements, options);
}

/**
 * Keeps only the records of `testIds` after an audited merge: a recorded test that did not pass
 * on this increment (not run, changed, failed) no longer vouches for the whole table.
 * `recorded` is what readWholeTableChecks returned for the relation.
 */
export async function retainWholeTableChecks(
  warehouse: Warehouse,
  table: TableRef,
  recorded: ReadonlyMap<string, string>,
  testIds: readonly string[],
  options: StatementOptions = {},
): Promise<void> {
  const keep = new Set(testIds);
  const gone = [...recorded.keys()].filter((id) => !keep.has(id));
  if (gone.length > 0)
    await warehouse.transaction(
      gone.map((id) => deleteStatement(table, id)),
      options,
    );
}

/** Forgets the relation's records (of `testId` only, when given): the next merge tests the whole table again. */
export async function forgetWholeTableChecks(warehouse: Warehouse, table: TableRef, testId?: string, options: StatementOptions = {}): Promise<void> {
  if ((await warehouse.describeTable(META_SCHEMA, WHOLE_TABLE_CHECKS_TABLE)) === undefined) return;
  const statement = testId ? deleteStatement(table, testId) : allOf(table);
  await warehouse.execute(statement.sql, statement.params, options);
}

/**
 * Creates the table once per warehouse connection of this process. Nodes run 4 at a time, and
 * two concurrent CREATE TABLE IF NOT EXISTS of one name can both pass the check and the second
 * fail on the catalog's unique index (pg_type_typname_nsp_index), so the first call's promise
 * is shared; a failed attempt is tried again by the next call.
 */
const tableReady = new WeakMap<Warehouse, Promise<void>>();
function ensureChecksTable(warehouse: Warehouse, options: StatementOptions): Promise<void> {
  let ready = tableReady.get(warehouse);
  if (!ready) {
    const text = warehouse.dialect === 'redshift' ? 'varchar(512)' : 'text';
    ready = (async () => {
      await warehouse.execute(`create schema if not exists ${quoteIdent(META_SCHEMA)}`, [], options);
      await warehouse.execute(
        `create table if not exists ${CHECKS} (
  schema_name ${text} not null,
  relation_name ${text} not null,
  test_id ${text} not null,
  checksum ${text} not null,
  checked_at ${text} not null
)`,
        [],
        options,
      );
    })();
    ready.catch(() => tableReady.delete(warehouse));
    tableReady.set(warehouse, ready);
  }
  return ready;
}

function allOf(table: TableRef): Statement {
  return { sql: `delete from ${CHECKS} where schema_name = $1 and relation_name = $2`, params: [table.schema, table.relation] };
}

function deleteStatement(table: TableRef, testId: string): Statement {
  return { sql: `delete from ${CHECKS} where schema_name = $1 and relation_name = $2 and test_id = $3`, params: [table.schema, table.relation, testId] };
}
