// What a trial's warehouse holds, compared with a clean run's: every table of raw, marts and
// reports as a multiset of row hashes (lost = rows of the clean run missing, duplicated =
// rows beyond it), plus the leftovers a crash may leave: helper relations, batch records in
// a non-final state, open multipart uploads.

import type { S3Client } from '@aws-sdk/client-s3';
import type pg from 'pg';
import { quoteIdent } from '../../src/sql/quote-ident.js';
import { openMultipartUploads } from '../../test/support/s3-objects.js';

export const COMPARED_SCHEMAS = ['raw', 'analytics_marts', 'analytics_reports'] as const;
/** Columns that differ between two correct runs by design: when and by which attempt a row was extracted, and when loaded. */
export const IGNORED_COLUMNS = new Set(['_pgshift_extracted_at', '_pgshift_batch_id', '_pgshift_loaded_at']);
/** States a batch record may be left in; anything else is a load that stopped halfway. */
const FINAL_BATCH_STATES = ['loaded', 'failed', 'superseded'];

export type TableRows = Map<string, Map<string, number>>;

export async function tableRows(db: pg.Pool): Promise<TableRows> {
  const { rows: tables } = await db.query<{ schema: string; name: string }>(
    `select table_schema as schema, table_name as name from information_schema.tables
     where table_schema = any($1) and table_type = 'BASE TABLE' and strpos(table_name, '__pgshift_') = 0 order by 1, 2`,
    [COMPARED_SCHEMAS],
  );
  const result: TableRows = new Map();
  for (const table of tables) {
    const { rows: columns } = await db.query<{ name: string }>(
      'select column_name as name from information_schema.columns where table_schema = $1 and table_name = $2 order by ordinal_position',
      [table.schema, table.name],
    );
    const kept = columns.map((column) => column.name).filter((name) => !IGNORED_COLUMNS.has(name));
    const row = kept.map((name) => `coalesce(${quoteIdent(name)}::text, '\\N')`).join(` || '|' || `);
    const { rows } = await db.query<{ hash: string; n: number }>(
      `select md5(${row || "''"}) as hash, count(*)::int as n from ${quoteIdent(table.schema)}.${quoteIdent(table.name)} group by 1`,
    );
    result.set(`${table.schema}.${table.name}`, new Map(rows.map((r) => [r.hash, r.n])));
  }
  return result;
}

export interface Comparison {
  readonly lost: number;
  readonly duplicated: number;
  /** Per table with a difference: `raw.orders: -3 +1`. */
  readonly differences: string[];
}

export function compareRows(clean: TableRows, trial: TableRows): Comparison {
  let lost = 0;
  let duplicated = 0;
  const differences: string[] = [];
  for (const table of new Set([...clean.keys(), ...trial.keys()])) {
    const want = clean.get(table) ?? new Map<string, number>();
    const have = trial.get(table) ?? new Map<string, number>();
    let missing = 0;
    let extra = 0;
    for (const [hash, n] of want) missing += Math.max(0, n - (have.get(hash) ?? 0));
    for (const [hash, n] of have) extra += Math.max(0, n - (want.get(hash) ?? 0));
    if (!trial.has(table)) differences.push(`${table}: missing table`);
    else if (missing || extra) differences.push(`${table}: -${missing} +${extra}`);
    lost += missing;
    duplicated += extra;
  }
  return { lost, duplicated, differences };
}

export interface Leftovers {
  readonly helperRelations: string[];
  readonly stuckBatches: string[];
  readonly multipartUploads: string[];
  /** Raw rows sharing a primary key within one batch. */
  readonly duplicateKeys: string[];
}

export async function leftovers(db: pg.Pool, s3: S3Client, bucket: string): Promise<Leftovers> {
  const helpers = await db.query<{ name: string }>(
    `select n.nspname || '.' || c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where strpos(c.relname, '__pgshift_') > 0 and n.nspname not in ('pg_catalog', 'information_schema')`,
  );
  const hasBatches = await db.query(`select 1 from information_schema.tables where table_schema = 'pgshift_meta' and table_name = 'batches'`);
  const stuck = hasBatches.rowCount
    ? await db.query<{ name: string }>(`select table_name || ' ' || batch_id || ' ' || status as name from pgshift_meta.batches where status <> all($1)`, [
        FINAL_BATCH_STATES,
      ])
    : { rows: [] };
  const duplicateKeys: string[] = [];
  const { rows: rawTables } = await db.query<{ name: string }>(
    `select table_name as name from information_schema.columns where table_schema = 'raw' and column_name = 'id'
     intersect select table_name from information_schema.columns where table_schema = 'raw' and column_name = '_pgshift_batch_id'`,
  );
  for (const { name } of rawTables) {
    const { rows } = await db.query<{ n: number }>(
      `select count(*)::int as n from (select id, _pgshift_batch_id from raw.${quoteIdent(name)} group by 1, 2 having count(*) > 1) d`,
    );
    if (rows[0]!.n > 0) duplicateKeys.push(`raw.${name}: ${rows[0]!.n} key(s)`);
  }
  return {
    helperRelations: helpers.rows.map((row) => row.name),
    stuckBatches: stuck.rows.map((row) => row.name),
    multipartUploads: await openMultipartUploads(s3, bucket),
    duplicateKeys,
  };
}

export function orphanCount(left: Leftovers): number {
  return left.helperRelations.length + left.stuckBatches.length + left.multipartUploads.length;
}
