// The first check of `pgshift smoke`: the every-type table goes through the production extract
// and load, and comes back from the warehouse equal value by value. The source table is a
// temporary table of one session, so the smoke writes nothing to the source database.

import type { S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import { parseProject } from '../config/load-project.js';
import type { Project, SourceTable, StagingSettings } from '../config/project.js';
import { extractTableToS3 } from '../extract/extract-table.js';
import type { Interval } from '../batch/interval.js';
import { loadTableBatch } from '../load/load-batch.js';
import { quoteIdent, quoteQualified } from '../sql/quote-ident.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { compareSmokeRows, SMOKE_COLUMNS, SMOKE_ROW_COUNT, SMOKE_ROWS_SQL, smokeReadBackSql, type ValueMismatch } from './smoke-values.js';

export const SMOKE_TABLE = 'pgshift_smoke_types';

export interface RoundTripContext {
  readonly sourceUrl: string;
  readonly warehouse: Warehouse;
  readonly s3: S3Client;
  readonly staging: StagingSettings;
  /** The warehouse schema the smoke owns (dropped afterwards by the caller). */
  readonly schema: string;
  /** Names the batch's source in pgshift_meta.batches, so its records can be removed. */
  readonly sourceName: string;
  readonly interval: Interval;
}

export interface RoundTripResult {
  readonly rows: number;
  readonly mismatches: readonly ValueMismatch[];
}

export async function smokeRoundTrip(context: RoundTripContext): Promise<RoundTripResult> {
  const client = new pg.Client({ connectionString: context.sourceUrl, connectionTimeoutMillis: 10_000, application_name: 'pgshift smoke' });
  client.on('error', () => {});
  await client.connect();
  try {
    const columns = SMOKE_COLUMNS.map((column) => `${quoteIdent(column.name)} ${column.type}`).join(', ');
    await client.query(`create temporary table ${quoteIdent(SMOKE_TABLE)} (${columns})`);
    await client.query(`insert into ${quoteIdent(SMOKE_TABLE)} values ${SMOKE_ROWS_SQL}`);
    const { rows: temp } = await client.query<{ schema: string }>('select nspname as schema from pg_namespace where oid = pg_my_temp_schema()');
    const table = smokeSourceTable(context, temp[0]!.schema);
    // The extract runs on this very session, the only one that sees the temporary table.
    const session = Object.assign(client, { release: () => {} }) as unknown as pg.PoolClient;
    await extractTableToS3(table, context.interval, { source: { connect: async () => session }, s3: context.s3, staging: context.staging });
    const loaded = await loadTableBatch(table, context.interval, {
      warehouse: context.warehouse,
      s3: context.s3,
      staging: context.staging,
      rawSchema: context.schema,
    });
    const expected = await client.query(smokeReadBackSql(quoteIdent(SMOKE_TABLE), quoteIdent));
    const actual = await context.warehouse.query(smokeReadBackSql(quoteQualified(context.schema, SMOKE_TABLE), quoteIdent));
    return { rows: loaded.rows, mismatches: compareSmokeRows(expected.rows, actual) };
  } finally {
    await client.end().catch(() => {});
  }
}

/** The smoke table as pgshift.yml would declare it, validated like any other. */
function smokeSourceTable(context: RoundTripContext, tempSchema: string): SourceTable {
  return smokeProject({ schema: context.schema, sourceName: context.sourceName, staging: context.staging }, tempSchema).tables[0]!;
}

/** A one-table project around the smoke table: its raw schema is the smoke's scratch schema. */
export function smokeProject(context: Pick<RoundTripContext, 'schema' | 'sourceName' | 'staging'>, sourceSchema = 'public'): Project {
  return parseProject(
    JSON.stringify({
      name: 'pgshift_smoke',
      raw_schema: context.schema,
      staging: { bucket: context.staging.bucket, prefix: context.staging.prefix },
      target: 'smoke',
      targets: { smoke: { type: 'postgres' } },
      sources: { [context.sourceName]: { schema: sourceSchema, tables: { [SMOKE_TABLE]: { primary_key: 'id', mode: 'full' } } } },
    }),
    'pgshift smoke',
  );
}

export function describeMismatches(mismatches: readonly ValueMismatch[]): string {
  const shown = mismatches.slice(0, 3).map((m) => `id ${m.id} ${m.column}: source ${JSON.stringify(m.source)}, warehouse ${JSON.stringify(m.warehouse)}`);
  return `${mismatches.length} value(s) differ: ${shown.join('; ')}${mismatches.length > 3 ? '; …' : ''}`;
}

export { SMOKE_ROW_COUNT };
