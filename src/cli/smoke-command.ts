// `pgshift smoke --target T`: a bounded end-to-end check in scratch schemas it drops afterwards.
// A source table of the supported types (NULL vs '', hostile text, extremes) is extracted,
// loaded and compared value by value; a full-mode reload swaps the table under a view (on
// Redshift a late-binding one); a scratch role is granted and revoked SELECT. One PASS/FAIL line
// per check with the page to read when one fails; exit 1 if any fails.

import { DeleteObjectsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { Command } from 'commander';
import type { SourceTable } from '../config/project.js';
import { errorMessage } from '../errors.js';
import { intervalFromFlags } from '../extract/interval.js';
import { quoteIdent, quoteQualified } from '../sql/quote-ident.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { openRuntime, type GlobalOptions } from './runtime.js';

interface Step {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  readonly read?: string;
}

const TABLE = 'all_types';
const HOSTILE = 'quote " comma , newline\nCR\r backslash \\ emoji 🦄 O\'Brien';
// id, text cases, numeric extremes, dates and instants; compared as text in UTC.
const ROWS = `
  (1, 'plain', '', ${literal(HOSTILE)}, 0.00, 9223372036854775807, true, '0001-01-01', '2026-11-23 10:00:00.5+00'),
  (2, null, 'x', '\\N-like but not \\N', -9999999999.99, -9223372036854775808, false, '9999-12-31', '1970-01-01 00:00:00+00'),
  (3, 'ünïcödé 中文', null, null, null, null, null, null, null)`;
const COLUMNS = ['id', 'plain', 'empty', 'hostile', 'amount', 'big', 'flag', 'day', 'at'];

export function registerSmokeCommand(program: Command): void {
  program
    .command('smoke')
    .description('extract, load and compare a table of every supported type in scratch schemas, swap it under a view, grant it to a scratch role; drops everything afterwards')
    .action(async (_options: unknown, cmd: Command) => {
      const steps = await runSmoke(cmd.optsWithGlobals<GlobalOptions>());
      for (const step of steps) {
        process.stdout.write(`${step.ok ? 'PASS' : 'FAIL'}  ${step.name.padEnd(26)} ${step.detail}\n`);
        if (!step.ok && step.read) process.stdout.write(`      ${''.padEnd(26)} read: ${step.read}\n`);
      }
      const failed = steps.filter((step) => !step.ok).length;
      process.stdout.write(failed === 0 ? `smoke passed (${steps.length} checks)\n` : `smoke failed: ${failed} of ${steps.length} checks\n`);
      if (failed > 0) process.exitCode = 1;
    });
}

export async function runSmoke(options: GlobalOptions): Promise<Step[]> {
  const runtime = await openRuntime(options, 2);
  const steps: Step[] = [];
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const scratch = `pgshift_smoke_${stamp}`;
  const role = `pgshift_smoke_role_${stamp}`;
  const first = runtime.project.tables[0];
  let warehouse: Warehouse | undefined;
  const staging = { ...runtime.project.staging, prefix: `${runtime.project.staging.prefix ? `${runtime.project.staging.prefix.replace(/\/$/, '')}/` : ''}_pgshift_smoke/${stamp}` };
  const source = first ? runtime.sourcePool(first) : undefined;
  const step = async (name: string, read: string | undefined, run: () => Promise<string>): Promise<boolean> => {
    try {
      steps.push({ name, ok: true, detail: await run() });
      return true;
    } catch (error) {
      steps.push({ name, ok: false, detail: errorMessage(error).split('\n')[0]!, read });
      return false;
    }
  };
  try {
    if (!source) return [{ name: 'source', ok: false, detail: 'pgshift.yml declares no source table to borrow a connection from' }];
    const target = runtime.target();
    const { openWarehouse } = await import('../warehouse/open-warehouse.js');
    warehouse = await openWarehouse(target, () => runtime.s3(), 2);
    const dialect = warehouse.dialect;
    const table: SourceTable = { ...first!, id: `smoke.${TABLE}`, source: 'smoke', sourceSchema: scratch, name: TABLE, primaryKey: ['id'], mode: 'full', cursor: undefined, columns: undefined, exclude: undefined, pii: {}, valuePolicy: 'fail' };
    const interval = intervalFromFlags({ date: '2026-11-23' });
    const ok = await step('source scratch table', undefined, async () => {
      await source.query(`create schema ${quoteIdent(scratch)};
        create table ${quoteQualified(scratch, TABLE)} (id int primary key, plain text, empty text, hostile text, amount numeric(12,2), big bigint, flag boolean, day date, at timestamptz);
        insert into ${quoteQualified(scratch, TABLE)} values ${ROWS}`);
      return `${scratch}.${TABLE}, 3 rows`;
    });
    if (!ok) return steps;
    const { extractTableToS3 } = await import('../extract/extract-table.js');
    const { loadTableBatch } = await import('../load/load-batch.js');
    const loadContext = { warehouse, s3: runtime.s3(), staging, rawSchema: scratch };
    const extracted = await step('extract', undefined, async () => {
      const result = await extractTableToS3(table, interval, { source, s3: runtime.s3(), staging, valueLimits: dialect === 'redshift' ? 'redshift' : undefined });
      return `${result.rows} rows in ${result.parts} part(s) under s3://${staging.bucket}/${staging.prefix}/`;
    });
    const loaded = extracted && (await step('load', 'https://docs.aws.amazon.com/redshift/latest/dg/SYS_LOAD_ERROR_DETAIL.html', async () => `${(await loadTableBatch(table, interval, loadContext)).rows} rows into ${scratch}.${TABLE}`));
    if (loaded) {
      await step('values, one by one', 'https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-conversion.html', async () => {
        const select = `select id, plain, empty, hostile, amount::varchar as amount, big::varchar as big, case when flag then 'true' when not flag then 'false' end as flag,
          to_char(day, 'YYYY-MM-DD') as day, to_char(at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') as at from ${quoteQualified(scratch, TABLE)} order by id`;
        const expected = (await source.query<Record<string, unknown>>(select)).rows;
        const actual = await warehouse!.query<Record<string, unknown>>(select);
        const differences: string[] = [];
        for (const [index, row] of expected.entries()) {
          for (const column of COLUMNS) {
            const want = row[column] === null ? null : String(row[column]);
            const got = actual[index]?.[column] === null || actual[index]?.[column] === undefined ? null : String(actual[index]![column]);
            if (want !== got) differences.push(`row ${row.id} ${column}: ${JSON.stringify(want)} became ${JSON.stringify(got)}`);
          }
        }
        if (actual.length !== expected.length) differences.unshift(`${expected.length} rows in the source, ${actual.length} loaded`);
        if (differences.length > 0) throw new Error(differences.slice(0, 3).join('; '));
        return `${expected.length} rows × ${COLUMNS.length} columns equal (NULL vs '', hostile text, extremes)`;
      });
      await step('full reload under a view', 'https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_VIEW.html', async () => {
        const view = quoteQualified(scratch, 'all_types_view');
        await warehouse!.execute(`create view ${view} as select id from ${quoteQualified(scratch, TABLE)}${dialect === 'redshift' ? ' with no schema binding' : ''}`);
        await loadTableBatch(table, interval, loadContext);
        const rows = await warehouse!.query<{ n: number | string }>(`select count(*) as n from ${view}`);
        if (Number(rows[0]?.n) !== 3) throw new Error(`the view reads ${rows[0]?.n} rows after the swap, not 3`);
        return 'the view reads the swapped-in table';
      });
      await step('grant to a scratch role', 'https://docs.aws.amazon.com/redshift/latest/dg/r_GRANT.html', async () => {
        const grantee = dialect === 'redshift' ? `role ${quoteIdent(role)}` : quoteIdent(role);
        await warehouse!.execute(`create role ${quoteIdent(role)}`);
        try {
          await warehouse!.execute(`grant usage on schema ${quoteIdent(scratch)} to ${grantee}`);
          await warehouse!.execute(`grant select on ${dialect === 'redshift' ? 'table ' : ''}${quoteQualified(scratch, TABLE)} to ${grantee}`);
          await warehouse!.execute(`revoke select on ${dialect === 'redshift' ? 'table ' : ''}${quoteQualified(scratch, TABLE)} from ${grantee}`);
          await warehouse!.execute(`revoke usage on schema ${quoteIdent(scratch)} from ${grantee}`);
        } finally {
          await warehouse!.execute(`drop role ${quoteIdent(role)}`).catch(() => {});
        }
        return `granted and revoked SELECT for ${role}`;
      });
    }
    return steps;
  } catch (error) {
    steps.push({ name: 'setup', ok: false, detail: errorMessage(error).split('\n')[0]! });
    return steps;
  } finally {
    await warehouse?.execute(`drop schema if exists ${quoteIdent(scratch)} cascade`).catch(() => {});
    await warehouse?.execute(`delete from pgshift_meta.batches where source = 'smoke' and table_name = $1`, [TABLE]).catch(() => {});
    await source?.query(`drop schema if exists ${quoteIdent(scratch)} cascade`).catch(() => {});
    await removePrefix(runtime, staging.bucket, `${staging.prefix}/`).catch(() => {});
    await warehouse?.close().catch(() => {});
    await runtime.close();
  }
}

async function removePrefix(runtime: { s3(): import('@aws-sdk/client-s3').S3Client }, bucket: string, prefix: string): Promise<void> {
  const page = await runtime.s3().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  const keys = (page.Contents ?? []).map((object) => ({ Key: object.Key! }));
  if (keys.length > 0) await runtime.s3().send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }));
}

function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
