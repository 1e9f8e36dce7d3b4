// SQL of a snapshot (dbt's type 2 slowly changing dimension,
// https://docs.getdbt.com/docs/build/snapshots): every version of every row of a query, with
// dbt's meta columns. dbt_valid_to is null for the current version of a key.
//
// | strategy  | a key changed when …                         | a version is valid from …  |
// |-----------|----------------------------------------------|----------------------------|
// | timestamp | its updated_at is later than dbt_updated_at  | its updated_at             |
// | check     | one of check_cols differs (nulls equal)      | the snapshot's time        |
//
// hard_deletes (https://docs.getdbt.com/reference/resource-configs/hard-deletes) says what a
// key gone from the query does: `ignore` keeps its version current, `invalidate` closes it at
// the snapshot's time, `new_record` closes it and adds a version with dbt_is_deleted 'True'
// (dbt writes the strings 'True'/'False'); when the key comes back, that version closes and a
// new one starts.
//
// The first run creates the table from the staged query. Later runs, in one transaction: add
// the query's new columns, insert the new versions, then close what they replace. Inserting
// first needs no helper table for "what changed": a new version never looks changed against
// the staged row it was made from, so the closing UPDATE leaves it alone.

import { ConfigError } from '../../errors.js';
import type { SnapshotConfig } from '../../manifest/node-config.js';
import { quoteIdent } from '../../sql/quote-ident.js';
import type { Dialect, WarehouseColumn } from '../../warehouse/warehouse.js';
import { type BuildTarget, qualified, type RelationTarget } from './build-target.js';
import { atomic, type PlannedStatement, type PlanStep, single } from './plan-step.js';
import { derivedName } from './relation-names.js';
import { planSchemaChange } from './schema-change.js';
import { planCleanup } from './table-plan.js';

export const META_COLUMNS = ['dbt_scd_id', 'dbt_updated_at', 'dbt_valid_from', 'dbt_valid_to'] as const;
export const DELETED_COLUMN = 'dbt_is_deleted';

/** The query's rows for this run, in the snapshot's schema (a real table: see incremental-plan.ts). */
export const snapshotStagingName = (dialect: Dialect, alias: string): string => derivedName(dialect, alias, '__pgshift_snap');

/** Where the snapshot lives (`model` is its unique_id), its config and its compiled select. */
export interface SnapshotTarget extends RelationTarget {
  readonly config: SnapshotConfig;
  readonly sql: string;
}

export function planSnapshotStage(target: SnapshotTarget): PlanStep[] {
  const staging = qualified(target, snapshotStagingName(target.dialect, target.alias));
  // Unlogged (PostgreSQL) / BACKUP NO (Redshift): the copy lives for one build.
  // https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_TABLE_AS.html
  const create = target.dialect === 'postgres' ? `create unlogged table ${staging} as\n${target.sql}` : `create table ${staging} backup no as\n${target.sql}`;
  return [planCleanup(target, [snapshotStagingName(target.dialect, target.alias)]), single(create)];
}

/** The first build: every staged row becomes a current version. `$1` is the snapshot's time. */
export function planSnapshotCreate(target: SnapshotTarget, staged: readonly WarehouseColumn[], now: string): PlanStep[] {
  const columns = queryColumns(target, staged);
  const staging = qualified(target, snapshotStagingName(target.dialect, target.alias));
  const select = [
    ...columns.map((column) => `src.${quoteIdent(column)}`),
    `${scdId(target, 'src')} as dbt_scd_id`,
    `${versionTime(target, 'src')} as dbt_updated_at`,
    `${versionTime(target, 'src')} as dbt_valid_from`,
    'cast(null as timestamp) as dbt_valid_to',
    ...(target.config.hard_deletes === 'new_record' ? [`cast('False' as varchar(5)) as ${DELETED_COLUMN}`] : []),
  ];
  const create = `create table ${qualified(target)} as\nselect ${select.join(',\n       ')}\n  from ${staging} as src`;
  return [atomic([{ sql: create, params: nowIfUsed(create, now), countsRows: true }, { sql: `drop table ${staging}` }])];
}

/** A later build, in one transaction; `existing` are the snapshot table's columns. `$1` is the snapshot's time. */
export function planSnapshotApply(target: SnapshotTarget, existing: readonly WarehouseColumn[], staged: readonly WarehouseColumn[], now: string): PlanStep[] {
  const columns = queryColumns(target, staged);
  const hardDeletes = target.config.hard_deletes;
  if (hardDeletes === 'new_record' && !existing.some((column) => column.name === DELETED_COLUMN)) {
    throw new ConfigError(
      `${target.model}: hard_deletes is new_record but ${target.schema}.${target.alias} has no ${DELETED_COLUMN} column (it was built with another hard_deletes); add it (alter table … add column ${DELETED_COLUMN} varchar(5) default 'False') or drop the table to start the history again`,
      { model: target.model, key: 'hard_deletes' },
    );
  }
  // A column the query gained is added to the table, as dbt does; one it lost stays, null from now on.
  const asTable: BuildTarget = { ...target, config: { ...target.config, on_schema_change: 'append_new_columns' } };
  const schemaChange = planSchemaChange(
    asTable,
    existing,
    staged.filter((column) => columns.includes(column.name)),
  );
  const relation = qualified(target);
  const stagingTable = snapshotStagingName(target.dialect, target.alias);
  const staging = qualified(target, stagingTable);
  const snapshotTable = quoteIdent(target.alias);
  const keys = target.config.unique_key ?? [];
  const current = (table: string): string => `${table}.dbt_valid_to is null`;
  const keysMatch = (left: string, right: string): string => keys.map((key) => `${left}.${quoteIdent(key)} = ${right}.${quoteIdent(key)}`).join(' and ');
  const isDeletion = (table: string): string => `${table}.${DELETED_COLUMN} = 'True'`;
  const list = [...columns, ...META_COLUMNS, ...(hardDeletes === 'new_record' ? [DELETED_COLUMN] : [])].map(quoteIdent).join(', ');
  const deletedValue = hardDeletes === 'new_record' ? [`cast('False' as varchar(5))`] : [];

  // New keys, changed keys and (new_record) keys back after a deletion get a new version.
  const changed = rowChanged(target, columns, 'cur', 'src');
  const revived = hardDeletes === 'new_record' ? ` or ${isDeletion('cur')}` : '';
  const insertSql = [
    `insert into ${relation} (${list})`,
    `select ${[...columns.map((column) => `src.${quoteIdent(column)}`), scdId(target, 'src'), versionTime(target, 'src'), versionTime(target, 'src'), 'cast(null as timestamp)', ...deletedValue].join(', ')}`,
    `  from ${staging} as src`,
    `  left join ${relation} as cur on ${keysMatch('cur', 'src')} and ${current('cur')}`,
    ` where cur.${quoteIdent(keys[0]!)} is null or ${changed}${revived}`,
  ].join('\n');
  const insertVersions: PlannedStatement = {
    sql: insertSql,
    params: nowIfUsed(insertSql, now),
    countsRows: true,
  };
  // Redshift's UPDATE takes no alias for its target and joins in FROM with an equijoin; columns
  // are qualified by the bare table name. https://docs.aws.amazon.com/redshift/latest/dg/r_UPDATE.html
  const closeSql = [
    `update ${relation}`,
    // A deletion version ends when its key is seen again: at the snapshot's time. (Unqualified:
    // Redshift's SET names only the target's columns, and the staged query has no such column.)
    `   set dbt_valid_to = ${hardDeletes === 'new_record' ? `case when ${DELETED_COLUMN} = 'True' then cast($1 as timestamp) else ${versionTime(target, 'src')} end` : versionTime(target, 'src')}`,
    `  from ${staging} as src`,
    ` where ${keysMatch(snapshotTable, 'src')}`,
    `   and ${current(snapshotTable)}`,
    `   and (${rowChanged(target, columns, snapshotTable, 'src')}${hardDeletes === 'new_record' ? ` or ${isDeletion(snapshotTable)}` : ''})`,
  ].join('\n');
  const closeChanged: PlannedStatement = { sql: closeSql, params: nowIfUsed(closeSql, now) };
  const steps: PlannedStatement[] = [...schemaChange.inTransaction, insertVersions, closeChanged];

  if (hardDeletes !== 'ignore') {
    const gone = (table: string): string => `not exists (select 1 from ${staging} as src where ${keysMatch('src', table)})`;
    if (hardDeletes === 'new_record') {
      // The deleted key's last values, marked deleted; it starts when the deletion was seen.
      steps.push({
        sql: [
          `insert into ${relation} (${list})`,
          `select ${[...columns.map((column) => `cur.${quoteIdent(column)}`), scdIdOfDeletion(target, 'cur'), 'cast($1 as timestamp)', 'cast($1 as timestamp)', 'cast(null as timestamp)', `cast('True' as varchar(5))`].join(', ')}`,
          `  from ${relation} as cur`,
          ` where ${current('cur')} and not ${isDeletion('cur')} and ${gone('cur')}`,
        ].join('\n'),
        params: [now],
        countsRows: true,
      });
    }
    steps.push({
      sql: [
        `update ${relation}`,
        '   set dbt_valid_to = cast($1 as timestamp)',
        ` where ${current(snapshotTable)}`,
        ...(hardDeletes === 'new_record' ? [`   and not ${isDeletion(snapshotTable)}`] : []),
        `   and ${gone(snapshotTable)}`,
      ].join('\n'),
      params: [now],
    });
  }
  steps.push({ sql: `drop table ${staging}` });
  return [...schemaChange.before, atomic(steps)];
}

/** The snapshot's time as `$1`, for the statements that use it (a statement takes exactly its parameters). */
function nowIfUsed(sql: string, now: string): string[] {
  return sql.includes('$1') ? [now] : [];
}

/** The query's columns in its order; unique_key, updated_at and check_cols must be among them. */
function queryColumns(target: SnapshotTarget, staged: readonly WarehouseColumn[]): string[] {
  const columns = staged.map((column) => column.name);
  const reserved = columns.filter((column) => (META_COLUMNS as readonly string[]).includes(column) || column === DELETED_COLUMN);
  if (reserved.length > 0) {
    throw new ConfigError(`${target.model}: the query selects ${reserved.join(', ')}, which the snapshot adds itself; rename or drop them in the select`, {
      model: target.model,
    });
  }
  const config = target.config;
  const named: Array<[string, readonly string[]]> = [
    ['unique_key', config.unique_key ?? []],
    ['updated_at', config.strategy === 'timestamp' && config.updated_at ? [config.updated_at] : []],
    ['check_cols', config.strategy === 'check' && Array.isArray(config.check_cols) ? config.check_cols : []],
  ];
  for (const [key, wanted] of named) {
    const missing = wanted.filter((column) => !columns.includes(column));
    if (missing.length > 0) {
      throw new ConfigError(
        `${target.model}: ${key} ${missing.map((column) => `'${column}'`).join(', ')} is not a column the snapshot's query selects (columns: ${columns.join(', ')})`,
        { model: target.model, key },
      );
    }
  }
  return columns;
}

/** When a version starts: the row's updated_at (timestamp) or the snapshot's time `$1` (check). */
function versionTime(target: SnapshotTarget, table: string): string {
  return target.config.strategy === 'timestamp' ? `cast(${table}.${quoteIdent(target.config.updated_at!)} as timestamp)` : 'cast($1 as timestamp)';
}

function rowChanged(target: SnapshotTarget, columns: readonly string[], snapshotTable: string, source: string): string {
  if (target.config.strategy === 'timestamp') return `${versionTime(target, source)} > ${snapshotTable}.dbt_updated_at`;
  const checked =
    target.config.check_cols === 'all' ? columns.filter((column) => !(target.config.unique_key ?? []).includes(column)) : target.config.check_cols!;
  // Null-safe inequality written out: IS DISTINCT FROM is PostgreSQL's, not in Redshift's
  // comparison conditions (https://docs.aws.amazon.com/redshift/latest/dg/r_comparison_condition.html).
  // `a = b` is null when one side is null; COALESCE makes that "not equal" unless both are null
  // (https://docs.aws.amazon.com/redshift/latest/dg/r_NVL_function.html).
  const differs = checked.map((column) => {
    const [a, b] = [`${snapshotTable}.${quoteIdent(column)}`, `${source}.${quoteIdent(column)}`];
    return `not (coalesce(${a} = ${b}, false) or (${a} is null and ${b} is null))`;
  });
  return `(${differs.join(' or ')})`;
}

/** md5 of the key and the version's start: unique per version, as dbt's dbt_scd_id. */
function scdId(target: SnapshotTarget, table: string): string {
  return md5Of([...(target.config.unique_key ?? []).map((key) => `${table}.${quoteIdent(key)}`), versionTime(target, table)]);
}

function scdIdOfDeletion(target: SnapshotTarget, table: string): string {
  return md5Of([...(target.config.unique_key ?? []).map((key) => `${table}.${quoteIdent(key)}`), 'cast($1 as timestamp)', `'deleted'`]);
}

// md5(varchar) and || exist on both warehouses: https://docs.aws.amazon.com/redshift/latest/dg/r_MD5.html
function md5Of(parts: readonly string[]): string {
  return `md5(${parts.map((part) => `coalesce(cast(${part} as varchar), '')`).join(` || '|' || `)})`;
}
