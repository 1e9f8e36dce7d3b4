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
import type { Statement, Warehouse } from '../warehouse/warehouse.js';
import type { RawColumn } from './raw-table-ddl.js';

export const KEYS_TABLE_SUFFIX = '__pgshift_keys';
/** The live keys of raw the source no longer has, set apart before the load. */
export const GONE_TABLE_SUFFIX = '__pgshift_gone';

/** The flag that lets one run apply more deletes than max_delete_ratio; its name is in the refusal. */
export const ACCEPT_DELETES_FLAG = '--accept-deletes';

export interface DeleteDetection {
  /** Keys live in raw before this batch (other batches' rows). */
  readonly live: number;
  /** Live keys the source no longer has: the tombstones this batch records. */
  readonly vanished: number;
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
  const typeOf = new Map(columns.map((column) => [column.name, column.type]));
  const scratch = `${table.name}${KEYS_TABLE_SUFFIX}`;
  const gone = `${table.name}${GONE_TABLE_SUFFIX}`;
  await warehouse.loadScratchTable(
    {
      schema: rawSchema,
      table: scratch,
      columns: keys.columns.map((name) => ({ name, type: typeOf.get(name)! })),
      expectedRows: keys.rows,
      bucket,
      manifestKey: keys.manifest_key,
      parts: keys.parts,
    },
    { signal: context.signal },
  );
  const sql = deleteSql(rawSchema, table.name, scratch, batch, columns);
  const keyTypes = keys.columns.map((name) => `${quoteIdent(name)} ${typeOf.get(name)!}`).join(', ');
  // The vanished keys are set apart first, by EXCEPT (a hash or sort set operation on both
  // warehouses): an anti-join of raw against the source's keys can be planned as a nested loop
  // on estimates alone, quadratic in the table.
  await warehouse.transaction(
    [
      { sql: `drop table if exists ${quoteQualified(rawSchema, gone)}` },
      { sql: `create table ${quoteQualified(rawSchema, gone)} (${keyTypes})` },
      { sql: sql.insertGone, params: [batch.batch_id] },
    ],
    { signal: context.signal },
  );
  if (warehouse.dialect === 'postgres') await warehouse.execute(`analyze ${quoteQualified(rawSchema, gone)}`, [], { signal: context.signal });
  const [counts] = await warehouse.query<{ live: unknown; vanished: unknown }>(sql.counts, [batch.batch_id], { signal: context.signal });
  const live = Number(counts?.live ?? 0);
  const vanished = Number(counts?.vanished ?? 0);
  const accepted = context.acceptDeletes?.has(table.id) || context.acceptDeletes?.has('all');
  const dropScratch: Statement[] = [scratch, gone].map((name) => ({ sql: `drop table if exists ${quoteQualified(rawSchema, name)}` }));
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
    afterLoad: [
      { sql: sql.insertTombstones, params: [batch.batch_id, timestamptzText(batch.extracted_at)] },
      // The insert must record exactly the deletes counted above (and the guard allowed).
      {
        sql: `select 1 / (case when count(*) = ${vanished} then 1 else 0 end) as pgshift_tombstone_check from ${quoteQualified(rawSchema, table.name)} where ${quoteIdent(batch.metadata_columns.batch_id)} = $1 and ${quoteIdent(deletedAt)} is not null`,
        params: [batch.batch_id],
      },
      ...dropScratch,
    ],
  };
}

/** `YYYY-MM-DD HH:MI:SS.fff+00:00`: the TIMESTAMPTZ form both warehouses read (see copyFromManifestSql). */
function timestamptzText(iso: string): string {
  return iso.replace('T', ' ').replace(/Z$/, '+00:00');
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '100%' : `${((100 * part) / whole).toFixed(1).replace(/\.0$/, '')}%`;
}

/**
 * The statements, in SQL PostgreSQL and Redshift share: GROUP BY … HAVING, EXCEPT (both sides
 * of the same key types: set operations convert no types,
 * https://docs.aws.amazon.com/redshift/latest/dg/r_UNION.html), INSERT … query
 * (https://docs.aws.amazon.com/redshift/latest/dg/r_INSERT_30.html), plain joins and ROW_NUMBER
 * (https://docs.aws.amazon.com/redshift/latest/dg/r_WF_ROW_NUMBER.html). `$1` is the batch id,
 * `$2` the extract's snapshot time.
 */
export function deleteSql(
  rawSchema: string,
  tableName: string,
  scratch: string,
  batch: BatchDocument,
  columns: readonly RawColumn[],
): { insertGone: string; counts: string; insertTombstones: string } {
  const { batch_id: batchIdColumn, extracted_at: extractedAtColumn, deleted_at: deletedAtColumn } = batch.metadata_columns;
  const relation = quoteQualified(rawSchema, tableName);
  const gone = quoteQualified(rawSchema, `${tableName}${GONE_TABLE_SUFFIX}`);
  const keyColumns = batch.keys!.columns.map(quoteIdent);
  const keyList = keyColumns.join(', ');
  const dataColumns = columns.map((column) => column.name).filter((name) => name !== batchIdColumn && name !== extractedAtColumn && name !== deletedAtColumn);
  const extractedAt = quoteIdent(extractedAtColumn);
  const deletedAt = quoteIdent(deletedAtColumn!);
  // A key is live when its newest version in raw (outside this batch) is a row, not a tombstone:
  // its newest row was extracted after its newest tombstone, if it has one.
  const newestRow = `max(case when ${deletedAt} is null then ${extractedAt} end)`;
  const liveKeys = `select ${keyList} from ${relation} where ${quoteIdent(batchIdColumn)} <> $1 group by ${keyList}
    having ${newestRow} is not null and (max(${deletedAt}) is null or ${newestRow} > max(${deletedAt}))`;
  return {
    insertGone: `insert into ${gone} (${keyList}) ${liveKeys} except select ${keyList} from ${quoteQualified(rawSchema, scratch)}`,
    // A FROM over user tables, with one uncorrelated scalar subquery: a query that references no
    // table would run on Redshift's leader node alone
    // (https://docs.aws.amazon.com/redshift/latest/dg/c_sql-functions-leader-node.html), a case
    // best not to lean on for counting user tables.
    counts: `select count(*) as live, (select count(*) from ${gone}) as vanished from (${liveKeys}) as live_keys`,
    // Each vanished key's newest version again, as its tombstone: the last values a model knew.
    insertTombstones: `insert into ${relation} (${[...dataColumns, batchIdColumn, extractedAtColumn, deletedAtColumn!].map(quoteIdent).join(', ')})
select ${dataColumns.map(quoteIdent).join(', ')}, $1, cast($2 as timestamptz), cast($2 as timestamptz)
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
