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
  const [counts] = await warehouse.query<{ live: unknown; present: unknown }>(sql.counts, [batch.batch_id], { signal: context.signal });
  const live = Number(counts?.live ?? 0);
  const vanished = live - Number(counts?.present ?? 0);
  const accepted = context.acceptDeletes?.has(table.id) || context.acceptDeletes?.has('all');
  if (vanished > table.maxDeleteRatio * live && !accepted) {
    await warehouse.execute(`drop table if exists ${quoteQualified(rawSchema, scratch)}`).catch(() => {});
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
      { sql: `drop table ${quoteQualified(rawSchema, scratch)}` },
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
 * The two statements, both on plain SQL PostgreSQL and Redshift share: window functions, a left
 * join and CAST (https://docs.aws.amazon.com/redshift/latest/dg/r_WF_ROW_NUMBER.html).
 * `$1` is the batch id, `$2` the extract's snapshot time.
 */
export function deleteSql(
  rawSchema: string,
  tableName: string,
  scratch: string,
  batch: BatchDocument,
  columns: readonly RawColumn[],
): { counts: string; insertTombstones: string } {
  const { batch_id: batchIdColumn, extracted_at: extractedAtColumn, deleted_at: deletedAtColumn } = batch.metadata_columns;
  const relation = quoteQualified(rawSchema, tableName);
  const keyColumns = batch.keys!.columns.map(quoteIdent);
  const dataColumns = columns.map((column) => column.name).filter((name) => name !== batchIdColumn && name !== extractedAtColumn && name !== deletedAtColumn);
  const deletedAt = quoteIdent(deletedAtColumn!);
  // The newest version of each key in raw outside this batch; live when it is not a tombstone.
  const newest = `(
    select ${[...dataColumns.map(quoteIdent), deletedAt].join(', ')},
           row_number() over (partition by ${keyColumns.join(', ')} order by ${quoteIdent(extractedAtColumn)} desc) as pgshift_version
      from ${relation}
     where ${quoteIdent(batchIdColumn)} <> $1
  ) as newest`;
  const join = `left join ${quoteQualified(rawSchema, scratch)} as source_keys on ${keyColumns.map((key) => `source_keys.${key} = newest.${key}`).join(' and ')}`;
  const liveOnly = `newest.pgshift_version = 1 and newest.${deletedAt} is null`;
  return {
    counts: `select count(*) as live, count(source_keys.${keyColumns[0]}) as present from ${newest} ${join} where ${liveOnly}`,
    insertTombstones: `insert into ${relation} (${[...dataColumns, batchIdColumn, extractedAtColumn, deletedAtColumn!].map(quoteIdent).join(', ')})
select ${dataColumns.map((name) => `newest.${quoteIdent(name)}`).join(', ')}, $1, cast($2 as timestamptz), cast($2 as timestamptz)
  from ${newest} ${join}
 where ${liveOnly} and source_keys.${keyColumns[0]} is null`,
  };
}
