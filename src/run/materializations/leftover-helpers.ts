// At the start of a run, under the run lock, the helper relations a crashed or killed run left
// behind are dropped, in every schema the project writes (the raw schema and the model, seed and
// snapshot schemas). The lock means no other run is working with them at that moment, so a fixed helper
// name (`orders__pgshift_tmp`) can only ever be a leftover here, never another run's.
//
// Which helper could hold the only copy of data? Each materialization's statement order:
// - table / seed / full build of an incremental (table.ts, seed.ts): drop old helpers; CTAS or
//   fill `__pgshift_tmp` (and its indexes); then ONE transaction renames the model to
//   `__pgshift_backup`, the tmp table to the model, drops the backup and renames indexes and
//   partitions. A crash before that transaction leaves only `__pgshift_tmp` (a copy being built,
//   derivable again from the model's SQL); the transaction commits whole or not at all, so a
//   committed `__pgshift_backup` never exists on its own.
// - partitioned build (partition-plan.ts): `__pgshift_stage` (the select's rows) and the
//   partitioned `__pgshift_tmp` with its partitions (dropped with it); the swap is the same one
//   transaction.
// - enforced contract (contract-check.ts): an empty `__pgshift_tmp` made from the model's query
//   (`limit 0`) to read its columns, dropped right after, before the model is built.
// - audited view (view.ts): `__pgshift_audit` is a view of the model's new definition, only read
//   by the model's tests; dropped after them.
// - incremental run (incremental.ts): `__pgshift_incr` holds the staged new rows, derivable
//   again; the merge and the drop of the staging table are one transaction. Column type changes
//   on Redshift use a `__pgshift_type` COLUMN inside that transaction, never a relation.
// - snapshot (snapshot.ts): `__pgshift_snap` holds the query's rows of this run, derivable
//   again; the history table's changes and the drop of the staging table are one transaction.
// - Redshift full-mode load (redshift-load-batch-sql.ts): `__pgshift_new` / `__pgshift_old` live
//   only inside the load's one BatchExecuteStatement, which "run[s] as a single transaction"
//   (https://docs.aws.amazon.com/redshift-data/latest/APIReference/API_BatchExecuteStatement.html).
// - delete detection (load/delete-detection.ts): `__pgshift_keys` (the source's keys, a copy of
//   the batch's key files), `__pgshift_state` (each raw key's liveness) and `__pgshift_gone`
//   (raw's live keys the source lacks), all derived, recreated by every load of a table with
//   `deletes: detect`.
// PostgreSQL DDL is transactional (CREATE/ALTER/DROP TABLE roll back with the transaction:
// https://www.postgresql.org/docs/15/sql-begin.html); Redshift runs CREATE TABLE, ALTER TABLE
// RENAME and DROP TABLE inside a transaction block and rolls them back with it, refusing only
// the commands its pages name (ALTER TABLE APPEND, ALTER COLUMN … TYPE:
// https://docs.aws.amazon.com/redshift/latest/dg/r_ALTER_TABLE.html), none of which these swaps
// use; the swaps already rely on this (table-plan.ts, redshift-load-batch-sql.ts).
// So every leftover is safe to drop. Still, should a `__pgshift_backup` or `__pgshift_old` ever
// be found while its model's (or raw table's) name is free, it is renamed back instead of
// dropped: losing data to a cleanup would be worse than keeping a stray table.

import { logger } from '../../log/logger.js';
import type { Manifest } from '../../manifest/index.js';
import { quoteIdent, quoteQualified } from '../../sql/quote-ident.js';
import type { Dialect, StatementOptions, Warehouse } from '../../warehouse/warehouse.js';
import { isSqlTrue } from '../../util/sql-boolean.js';
import { backupName } from './relation-names.js';

const DISPOSABLE = /__pgshift_(tmp|incr|stage|snap|new|keys|state|gone)$/;
const DISPOSABLE_VIEW = /__pgshift_audit$/;
const SET_ASIDE = /__pgshift_(backup|old)$/;

// Tables, and the one helper view; the suffix is matched here, not with LIKE, whose escape
// character the two warehouses treat differently. Partitions of a leftover `__pgshift_tmp` end in
// `__p<period>`, so they do not match and go with their parent's DROP.
const HELPER_RELATIONS_SQL = `select n.nspname as schema_name, c.relname as relation_name, c.relkind = 'v' as is_view
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
 where c.relkind in ('r', 'p', 'v') and c.relname like '%pgshift%'`;
/** A name derivedName() shortened with a hash: its owner cannot be read back from it. */
const HASHED = /_[0-9a-f]{8}__pgshift_[a-z]+$/;

export interface LeftoverCleanup {
  readonly dropped: string[];
  readonly restored: string[];
}

export async function cleanUpLeftoverHelpers(
  warehouse: Warehouse,
  manifest: Manifest,
  dialect: Dialect,
  options: StatementOptions = {},
): Promise<LeftoverCleanup> {
  const schemas = projectSchemas(manifest);
  const rows = await warehouse.query<{ schema_name: string; relation_name: string; is_view: unknown }>(HELPER_RELATIONS_SQL, [], options);
  const present = new Set(rows.map((row) => `${row.schema_name}.${row.relation_name}`));
  const relationExists = async (schema: string, name: string) => (await warehouse.describeTable(schema, name)) !== undefined;
  const setAsideOwners = new Map<string, string>();
  for (const node of Object.values(manifest.nodes)) {
    if (node.resource_type === 'model' || node.resource_type === 'seed') setAsideOwners.set(`${node.schema}.${backupName(dialect, node.alias)}`, node.alias);
  }
  const result: LeftoverCleanup = { dropped: [], restored: [] };
  for (const row of rows) {
    if (!schemas.has(row.schema_name)) continue;
    const relation = quoteQualified(row.schema_name, row.relation_name);
    const id = `${row.schema_name}.${row.relation_name}`;
    if (isSqlTrue(row.is_view)) {
      if (!DISPOSABLE_VIEW.test(row.relation_name)) continue;
      await warehouse.transaction([{ sql: `drop view if exists ${relation}` }], options);
      result.dropped.push(id);
      continue;
    }
    if (DISPOSABLE.test(row.relation_name)) {
      await warehouse.transaction([{ sql: `drop table if exists ${relation} cascade` }], options);
      result.dropped.push(id);
      continue;
    }
    const aside = SET_ASIDE.exec(row.relation_name);
    if (!aside) continue;
    const known = setAsideOwners.get(id);
    if (!known && HASHED.test(row.relation_name)) {
      logger.warn(`${id} was set aside by an earlier run and belongs to no model of this project; left as it is`);
      continue;
    }
    const owner = known ?? row.relation_name.slice(0, -`__pgshift_${aside[1]}`.length);
    if (present.has(`${row.schema_name}.${owner}`) || (await relationExists(row.schema_name, owner))) {
      await warehouse.transaction([{ sql: `drop table if exists ${relation} cascade` }], options);
      result.dropped.push(id);
    } else {
      await warehouse.transaction([{ sql: `alter table ${relation} rename to ${quoteIdent(owner)}` }], options);
      result.restored.push(`${id} → ${row.schema_name}.${owner}`);
    }
  }
  if (result.dropped.length > 0) logger.info(`dropped helper tables an earlier run left behind: ${result.dropped.join(', ')}`);
  for (const restored of result.restored) logger.warn(`restored a table an earlier run had set aside and not put back: ${restored}`);
  return result;
}

function projectSchemas(manifest: Manifest): Set<string> {
  const schemas = new Set<string>();
  for (const node of Object.values(manifest.nodes)) {
    if (node.resource_type === 'model' || node.resource_type === 'seed' || node.resource_type === 'snapshot') schemas.add(node.schema);
  }
  // Only the raw schema pgshift loads: a source only dbt YAML declares is another loader's schema.
  for (const source of Object.values(manifest.sources)) if (source.extracted) schemas.add(source.schema);
  return schemas;
}
