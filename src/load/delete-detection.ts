// Hard deletes without logical replication. The extract streamed every primary key of the table
// at its snapshot (batch.json `keys`); here those keys are loaded into a scratch table next to the
// raw table and compared with raw's live keys: a key whose newest version in raw (by extraction
// time, other batches only) is a row, not a tombstone, and that the source no longer has, was
// deleted. Its tombstone is that newest version again, with `_pgshift_deleted_at` set, inserted
// in the same transaction as the batch's rows and under the batch's id: so raw keeps the full
// history, models see the deletion as the newest version of the row, and a rerun of the interval
// replaces the tombstones with the batch like any of its rows.
//
// The guard: more than max_delete_ratio of the live keys vanishing is more often a wrong source
// (another database, a truncated table, a broken filter) than real deletes, so it stops the table
// before anything is loaded, unless this run accepts it.

import type { BatchDocument } from '../batch/batch-manifest.js';
import type { SourceTable } from '../config/project.js';
import { LoadError } from '../errors.js';
import { quoteIdent, quoteQualified } from '../sql/quote-ident.js';
import type { Dialect, Statement, Warehouse } from '../warehouse/warehouse.js';
import { createHash } from 'node:crypto';
import { logger } from '../log/logger.js';
import { DELETED_AT_COLUMN } from '../batch/deleted-at-column.js';
import { utcTimestampText } from '../batch/utc-timestamp-text.js';
import type { RawColumn } from './raw-table-ddl.js';

export const KEYS_TABLE_SUFFIX = '__pgshift_keys';
/** The live keys of raw the source no longer has, set apart before the load. */
export const GONE_TABLE_SUFFIX = '__pgshift_gone';
/** Each key of raw (outside the batch) and whether its newest version is live. */
export const STATE_TABLE_SUFFIX = '__pgshift_state';

/** The flag that lets one run apply more deletes than max_delete_ratio; its name is in the refusal. */
export const ACCEPT_DELETES_FLAG = '--accept-deletes';

export interface DeleteDetection {
  /** Keys live in raw before this batch (other batches' rows); undefined when detection was skipped. */
  readonly live: number | undefined;
  /** Live keys the source no longer has: the tombstones this batch records. */
  readonly vanished: number;
  /** Source keys whose newest version in raw is a tombstone: rows restored with an old cursor. */
  readonly returned: number;
  /** Run in the load's transaction after its rows: tombstones, their count check, the scratch table dropped. */
  readonly afterLoad: readonly Statement[];
}

export interface DeleteDetectionContext {
  readonly warehouse: Warehouse;
  readonly rawSchema: string;
  /** Table ids (or `all`) whose deletes this run applies beyond max_delete_ratio. */
  readonly acceptDeletes?: ReadonlySet<string>;
  readonly signal?: AbortSignal;
}

export async function detectDeletes(
  table: SourceTable,
  batch: BatchDocument,
  columns: readonly RawColumn[],
  bucket: string,
  context: DeleteDetectionContext,
): Promise<DeleteDetection | undefined> {
  const keys = batch.keys;
  const deletedAt = batch.metadata_columns.deleted_at;
  if (!keys || !deletedAt) return undefined;
  const { warehouse, rawSchema } = context;
  const relation = quoteQualified(rawSchema, table.name);
  const typeOf = new Map(columns.map((column) => [column.name, column.type]));
  const names = scratchNames(table.name, warehouse.dialect);
  await warehouse.loadScratchTable(
    {
      schema: rawSchema,
      table: names.keys,
      columns: keys.columns.map((name) => ({ name, type: typeOf.get(name)! })),
      expectedRows: keys.rows,
      bucket,
      manifestKey: keys.manifest_key,
      parts: keys.parts,
    },
    { signal: context.signal },
  );
  const sql = deleteSql(rawSchema, table.name, names, batch, columns);
  const keyTypes = keys.columns.map((name) => `${quoteIdent(name)} ${typeOf.get(name)!}`).join(', ');
  const dropScratch: Statement[] = [names.keys, names.state, names.gone].map((name) => ({ sql: `drop table if exists ${quoteQualified(rawSchema, name)}` }));
  // Raw is read once, by one aggregate, into each key's state; the vanished keys are then set
  // apart by EXCEPT (a hash or sort set operation on both warehouses): an anti-join of raw
  // against the source's keys can be planned as a nested loop on estimates alone.
  await warehouse.transaction(
    [
      ...dropScratch.slice(1),
      { sql: `create table ${quoteQualified(rawSchema, names.state)} (${keyTypes}, pgshift_live boolean not null, pgshift_newest timestamptz not null)` },
      { sql: sql.insertState, params: [batch.batch_id] },
      { sql: `create table ${quoteQualified(rawSchema, names.gone)} (${keyTypes})` },
      { sql: sql.insertGone },
    ],
    { signal: context.signal },
  );
  if (warehouse.dialect === 'postgres') await warehouse.execute(`analyze ${quoteQualified(rawSchema, names.gone)}`, [], { signal: context.signal });
  const [counts] = await warehouse.query<{ live: unknown; vanished: unknown; returned: unknown; newer: unknown }>(
    sql.counts,
    [utcTimestampText(new Date(batch.extracted_at))],
    {
      signal: context.signal,
    },
  );
  // A batch extracted before rows raw already holds (its load failed and is retried after later
  // days loaded): its keys are an older picture than raw's, and every key inserted since would
  // look deleted. The later batches' detection stands; this one detects nothing.
  if (Number(counts?.newer ?? 0) > 0) {
    await warehouse.transaction(dropScratch).catch(() => {});
    logger.warn(
      `${table.id}: batch ${batch.batch_id} was extracted at ${batch.extracted_at}, before rows ${rawSchema}.${table.name} already holds; its keys are older than raw's, so no deletes are detected from it (re-extract the interval for a current picture)`,
      { table: table.id, batch: batch.batch_id },
    );
    return { live: undefined, vanished: 0, returned: 0, afterLoad: [] };
  }
  const live = Number(counts?.live ?? 0);
  const vanished = Number(counts?.vanished ?? 0);
  const returned = Number(counts?.returned ?? 0);
  if (returned > 0) {
    // The cursor finds a row again only when it changes; a row restored with its old cursor
    // value is in the source's keys but outside every later window.
    logger.warn(
      `${table.id}: ${returned} row(s) deleted earlier are back in the source with a cursor outside this interval's window; raw keeps them deleted until they change, or re-extract the interval of their cursor`,
      { table: table.id, batch: batch.batch_id },
    );
  }
  const accepted = context.acceptDeletes?.has(table.id) || context.acceptDeletes?.has('all');
  if (vanished > table.maxDeleteRatio * live && !accepted) {
    await warehouse.transaction(dropScratch).catch(() => {});
    throw new LoadError(
      `${table.id}: ${vanished} of the ${live} live rows in ${rawSchema}.${table.name} (${percent(vanished, live)}) are no longer in the source (${keys.rows} keys), ` +
        `more than max_delete_ratio ${percent(table.maxDeleteRatio, 1)}; batch ${batch.batch_id} was not loaded and nothing was deleted. ` +
        `If the deletes are real, rerun with ${ACCEPT_DELETES_FLAG} ${table.id} (this run only), or raise max_delete_ratio for the table in pgshift.yml`,
      { table: table.id, batch: batch.batch_id },
    );
  }
  return {
    live,
    vanished,
    returned,
    afterLoad: [
      {
        sql: sql.insertTombstones,
        params: [batch.batch_id, utcTimestampText(new Date(batch.extracted_at)), utcTimestampText(new Date(batch.snapshot_at ?? batch.extracted_at))],
      },
      // The insert must record exactly the deletes counted above (and the guard allowed).
      {
        sql: `select 1 / (case when count(*) = ${vanished} then 1 else 0 end) as pgshift_tombstone_check from ${relation} where ${quoteIdent(batch.metadata_columns.batch_id)} = $1 and ${quoteIdent(deletedAt)} is not null`,
        params: [batch.batch_id],
      },
      ...dropScratch,
    ],
  };
}

/**
 * A table that stopped detecting deletes still has its tombstones in raw, and a model reading it
 * through source_deleted_at() (now NULL) would count those rows as live again: say so at load.
 */
export async function warnOfKeptTombstones(table: SourceTable, rawSchema: string, warehouse: Warehouse, signal?: AbortSignal): Promise<void> {
  const [row] = await warehouse.query<{ n: unknown }>(
    `select count(*) as n from ${quoteQualified(rawSchema, table.name)} where ${quoteIdent(DELETED_AT_COLUMN)} is not null`,
    [],
    { signal },
  );
  const n = Number(row?.n ?? 0);
  if (n === 0) return;
  logger.warn(
    `${table.id}: ${rawSchema}.${table.name} holds ${n} tombstone(s) from when the table detected deletes, and models reading it through source_deleted_at() now take those rows for live; set deletes: detect again, or remove them (delete from ${quoteQualified(rawSchema, table.name)} where ${quoteIdent(DELETED_AT_COLUMN)} is not null)`,
    { table: table.id },
  );
}

// PostgreSQL cuts longer names to 63 bytes silently (two scratch names could then become one),
// Redshift refuses names over 127 bytes (https://docs.aws.amazon.com/redshift/latest/dg/r_names.html).
const MAX_NAME_BYTES = { postgres: 63, redshift: 127 } as const;

/** The scratch tables' names, each within the warehouse's limit; a long table name is cut and hashed. */
export function scratchNames(tableName: string, dialect: Dialect): { keys: string; state: string; gone: string } {
  const fit = (suffix: string): string => {
    const limit = MAX_NAME_BYTES[dialect];
    if (Buffer.byteLength(tableName + suffix) <= limit) return tableName + suffix;
    const hash = `_${createHash('sha256').update(tableName).digest('hex').slice(0, 8)}`;
    let base = tableName;
    while (Buffer.byteLength(base + hash + suffix) > limit) base = base.slice(0, -1);
    return base + hash + suffix;
  };
  return { keys: fit(KEYS_TABLE_SUFFIX), state: fit(STATE_TABLE_SUFFIX), gone: fit(GONE_TABLE_SUFFIX) };
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '100%' : `${((100 * part) / whole).toFixed(1).replace(/\.0$/, '')}%`;
}

/**
 * The statements, in SQL PostgreSQL and Redshift share: GROUP BY, EXCEPT and INTERSECT (both
 * sides of the same key types: set operations convert no types,
 * https://docs.aws.amazon.com/redshift/latest/dg/r_UNION.html), INSERT … query
 * (https://docs.aws.amazon.com/redshift/latest/dg/r_INSERT_30.html), plain joins and ROW_NUMBER
 * (https://docs.aws.amazon.com/redshift/latest/dg/r_WF_ROW_NUMBER.html). In insertState `$1` is
 * the batch id; in counts `$1` the batch's extraction time; in insertTombstones `$1` the batch id, `$2` its extraction time, `$3` the
 * source's snapshot time.
 */
export function deleteSql(
  rawSchema: string,
  tableName: string,
  names: { keys: string; state: string; gone: string },
  batch: BatchDocument,
  columns: readonly RawColumn[],
): { insertState: string; insertGone: string; counts: string; insertTombstones: string } {
  const { batch_id: batchIdColumn, extracted_at: extractedAtColumn, deleted_at: deletedAtColumn } = batch.metadata_columns;
  const relation = quoteQualified(rawSchema, tableName);
  const [keys, state, gone] = [names.keys, names.state, names.gone].map((name) => quoteQualified(rawSchema, name)) as [string, string, string];
  const keyColumns = batch.keys!.columns.map(quoteIdent);
  const keyList = keyColumns.join(', ');
  const dataColumns = columns.map((column) => column.name).filter((name) => name !== batchIdColumn && name !== extractedAtColumn && name !== deletedAtColumn);
  const extractedAt = quoteIdent(extractedAtColumn);
  const deletedAt = quoteIdent(deletedAtColumn!);
  // A key is live when its newest version in raw (outside this batch) is a row, not a tombstone:
  // its newest row was extracted after its newest tombstone, if it has one.
  const newestRow = `max(case when ${deletedAt} is null then ${extractedAt} end)`;
  return {
    insertState: `insert into ${state} (${keyList}, pgshift_live, pgshift_newest)
select ${keyList}, case when ${newestRow} is not null and (max(${deletedAt}) is null or ${newestRow} > max(${deletedAt})) then true else false end,
       max(${extractedAt})
  from ${relation} where ${quoteIdent(batchIdColumn)} <> $1 group by ${keyList}`,
    insertGone: `insert into ${gone} (${keyList}) select ${keyList} from ${state} where pgshift_live except select ${keyList} from ${keys}`,
    counts: `select count(*) as live,
       (select count(*) from ${gone}) as vanished,
       (select count(*) from (select ${keyList} from ${state} where not pgshift_live intersect select ${keyList} from ${keys}) as returned_keys) as returned,
       (select count(*) from ${state} where pgshift_newest > cast($1 as timestamptz)) as newer
  from ${state} where pgshift_live`,
    // Each vanished key's newest version again, as its tombstone: the last values a model knew.
    insertTombstones: `insert into ${relation} (${[...dataColumns, batchIdColumn, extractedAtColumn, deletedAtColumn!].map(quoteIdent).join(', ')})
select ${dataColumns.map(quoteIdent).join(', ')}, $1, cast($2 as timestamptz), cast($3 as timestamptz)
  from (
    select ${dataColumns.map((name) => `raw_rows.${quoteIdent(name)}`).join(', ')},
           row_number() over (partition by ${keyColumns.map((key) => `raw_rows.${key}`).join(', ')} order by raw_rows.${extractedAt} desc) as pgshift_version
      from ${relation} as raw_rows
      join ${gone} as gone on ${keyColumns.map((key) => `gone.${key} = raw_rows.${key}`).join(' and ')}
     where raw_rows.${quoteIdent(batchIdColumn)} <> $1 and raw_rows.${deletedAt} is null
  ) as newest
 where pgshift_version = 1`,
  };
}
