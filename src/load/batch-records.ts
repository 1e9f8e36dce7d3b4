// pgshift_meta.batches: one row per loaded batch (table, interval, batch id, rows, bytes,
// timings, status), written in the same transaction as the rows it describes.

import type { BatchDocument } from '../batch/batch-manifest.js';
import type { Dialect, Statement, Warehouse } from '../warehouse/warehouse.js';
import type { Reconciliation } from './reconciliation.js';

import { META_SCHEMA } from '../batch/meta-schema.js';

export { META_SCHEMA };

export function metaTableStatements(dialect: Dialect): string[] {
  const text = dialect === 'redshift' ? 'varchar(512)' : 'text';
  return [
    `create schema if not exists ${META_SCHEMA}`,
    `create table if not exists ${META_SCHEMA}.batches (
  source ${text} not null,
  table_name ${text} not null,
  batch_id ${text} not null,
  mode ${text} not null,
  interval_start timestamptz not null,
  interval_end timestamptz not null,
  rows bigint not null,
  bytes_compressed bigint not null,
  bytes_uncompressed bigint not null,
  parts integer not null,
  extracted_at timestamptz not null,
  extract_seconds double precision not null,
  loaded_at timestamptz not null,
  load_seconds double precision not null,
  status ${text} not null,
  manifest_url ${text} not null,
${RECONCILIATION_COLUMNS.map((column) => `  ${column} bigint`).join(',\n')}
)`,
  ];
}

/** Reconciliation counts per batch, nullable: batches recorded before them have none. */
const RECONCILIATION_COLUMNS = ['source_rows', 'loaded_rows', 'tombstones', 'source_keys', 'live_keys'] as const;

/**
 * Adds the reconciliation columns to a batches table created before they existed, one ADD
 * COLUMN per statement (Redshift's ALTER TABLE adds one column at a time:
 * https://docs.aws.amazon.com/redshift/latest/dg/r_ALTER_TABLE.html).
 */
export async function upgradeMetaTable(warehouse: Warehouse): Promise<void> {
  const columns = await warehouse.describeTable(META_SCHEMA, 'batches');
  if (!columns) return;
  const have = new Set(columns.map((column) => column.name));
  for (const name of RECONCILIATION_COLUMNS) {
    if (have.has(name)) continue;
    // Another process may add it in between: PostgreSQL says IF NOT EXISTS, Redshift has no such
    // clause, so there a failure is checked against the table as it now is.
    if (warehouse.dialect === 'postgres') await warehouse.execute(`alter table ${META_SCHEMA}.batches add column if not exists ${name} bigint`);
    else
      await warehouse.execute(`alter table ${META_SCHEMA}.batches add column ${name} bigint`).catch(async (error: unknown) => {
        const now = await warehouse.describeTable(META_SCHEMA, 'batches');
        if (!now?.some((column) => column.name === name)) throw error;
      });
  }
}

/**
 * A successful load replaces every earlier record of its batch; a failed attempt is only
 * added, so the record of the rows still in the raw table survives next to it. A full-mode load
 * replaces the whole table, so the earlier batches it displaced are marked `superseded`: their
 * rows are gone, and `loaded` would claim otherwise.
 */
export function recordBatchStatements(
  batch: BatchDocument,
  manifestUrl: string,
  loadStartedAt: Date,
  status: 'loaded' | 'failed',
  counts?: Reconciliation,
): Statement[] {
  const now = new Date();
  const replaceEarlier: Statement[] =
    status === 'loaded'
      ? [
          {
            sql: `delete from ${META_SCHEMA}.batches where source = $1 and table_name = $2 and batch_id = $3`,
            params: [batch.source, batch.table, batch.batch_id],
          },
          ...(batch.mode === 'full'
            ? [
                {
                  sql: `update ${META_SCHEMA}.batches set status = 'superseded' where source = $1 and table_name = $2 and batch_id <> $3 and status = 'loaded'`,
                  params: [batch.source, batch.table, batch.batch_id],
                },
              ]
            : []),
        ]
      : [];
  return [
    ...replaceEarlier,
    {
      sql: `insert into ${META_SCHEMA}.batches (source, table_name, batch_id, mode, interval_start, interval_end, rows, bytes_compressed, bytes_uncompressed, parts,
              extracted_at, extract_seconds, loaded_at, load_seconds, status, manifest_url, ${RECONCILIATION_COLUMNS.join(', ')})
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)`,
      params: [
        batch.source,
        batch.table,
        batch.batch_id,
        batch.mode,
        batch.interval.start,
        batch.interval.end,
        batch.rows,
        batch.bytes.compressed,
        batch.bytes.uncompressed,
        batch.parts.length,
        batch.extracted_at,
        batch.timing.seconds,
        now.toISOString(),
        (now.getTime() - loadStartedAt.getTime()) / 1000,
        status,
        manifestUrl,
        // A load is recorded in the transaction that verified its count, so loaded = batch rows.
        counts?.sourceRows ?? batch.source_rows ?? null,
        status === 'loaded' ? batch.rows : null,
        counts?.tombstones ?? null,
        counts?.sourceKeys ?? batch.keys?.rows ?? null,
        counts?.liveKeys ?? null,
      ],
    },
  ];
}
