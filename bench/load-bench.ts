// `npm run bench -- load`: pgshift load of the extract bench's 2M rows into the local
// PostgreSQL warehouse against `gunzip -c parts | psql -c "\copy … from stdin csv"` in the
// same run. Prints rows/s, the ratio and peak RSS, then one JSON line.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { getS3Conn } from '../src/connections.js';
import { batchIdFor } from '../src/batch/interval.js';
import { ensureDatabase } from '../src/local/local-postgres.js';
import { BENCH_TABLE, benchDays, openBenchSource } from './support/bench-source.js';
import { writeBenchProject } from './support/bench-project.js';
import { measureCommand, round } from './support/measure.js';
import { startBenchS3 } from './support/s3-server.js';
import { listKeys, readObject } from '../test/support/s3-objects.js';

const PGSHIFT = path.resolve('bin', 'pgshift.js');
const RUNS = 3;

export async function runLoadBench(log: (line: string) => void = console.log): Promise<Record<string, unknown>> {
  const source = await openBenchSource(log);
  const warehouseUrl = await ensureDatabase(source.server.adminUrl, 'pgshift_bench_warehouse', { recreate: true });
  const workDir = await mkdtemp(path.join(tmpdir(), 'pgshift-bench-load-'));
  const projectDir = await writeBenchProject(workDir);
  const s3 = await startBenchS3();
  const warehouse = new pg.Client({ connectionString: warehouseUrl });
  await warehouse.connect();
  const env = {
    ...process.env,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    PGSHIFT_SOURCE_URL: source.url,
    PGSHIFT_WAREHOUSE_URL: warehouseUrl,
    PGSHIFT_S3_ENDPOINT: s3.endpoint,
  };
  // The bin itself (not `node bin/pgshift.js`), so its shebang's V8 flags apply as for users.
  const cli = (command: string, days: number) => {
    const interval = benchDays(days);
    return measureCommand(PGSHIFT, ['--log-format', 'json', '--project-dir', projectDir, command, '--start', interval.start, '--end', interval.end], env);
  };
  // pgshift's own timing of the load (JSON log), i.e. without the process start-up.
  const inProcessSeconds = (stderr: string): number =>
    stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg: string; seconds?: number })
      .find((line) => line.msg.startsWith('loaded '))?.seconds ?? Number.NaN;
  const median = <T>(values: T[], key: (value: T) => number) => [...values].sort((a, b) => key(a) - key(b))[Math.floor(values.length / 2)]!;

  const measure = async (days: number) => {
    const rows = days * 1_000_000;
    log(`extracting ${rows.toLocaleString('en')} rows to the local S3 server for the load bench`);
    await cli('extract', days);
    // The baseline reads the same gzipped parts from local files.
    const client = getS3Conn({ endpoint: s3.endpoint });
    const partsDir = path.join(workDir, `parts-${days}`);
    await mkdir(partsDir);
    const batch = benchDays(days);
    const batchPrefix = `bench/shop/${BENCH_TABLE}/${batchIdFor({ start: new Date(batch.start), end: new Date(batch.end) })}/`;
    const keys = (await listKeys(client, 'bench', batchPrefix)).filter((key) => key.endsWith('.csv.gz'));
    const files: string[] = [];
    for (const key of keys) {
      const file = path.join(partsDir, path.basename(key));
      await writeFile(file, await readObject(client, 'bench', key));
      files.push(file);
    }
    client.destroy();

    const pgshiftRuns: { seconds: number; rss: number; inProcess: number }[] = [];
    const baselineRuns: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      await warehouse.query(`drop table if exists raw.${BENCH_TABLE}`);
      const measured = await cli('load', days);
      pgshiftRuns.push({ seconds: measured.seconds, rss: measured.peakRssMb ?? 0, inProcess: inProcessSeconds(measured.stderr) });
      if (run === 0) await warehouse.query(`drop table if exists baseline; create table baseline (like raw.${BENCH_TABLE})`);
      await warehouse.query('truncate baseline');
      const baseline = await measureCommand(
        `gunzip -c ${files.join(' ')} | psql '${warehouseUrl}' -q -c "\\copy baseline from stdin with (format csv, null '\\\\N')"`,
        [],
        env,
        true,
      );
      baselineRuns.push(baseline.seconds);
    }
    const loaded = (await warehouse.query(`select count(*)::int as n from raw.${BENCH_TABLE}`)).rows[0].n as number;
    const baselineRows = (await warehouse.query('select count(*)::int as n from baseline')).rows[0].n as number;
    if (loaded !== rows || baselineRows !== rows) throw new Error(`expected ${rows} rows, pgshift loaded ${loaded}, baseline ${baselineRows}`);
    const pgshift = median(pgshiftRuns, (run) => run.seconds);
    const baselineSeconds = median(baselineRuns, (seconds) => seconds);
    const result = {
      rows: loaded,
      parts: files.length,
      baseline_gunzip_psql: { seconds: round(baselineSeconds), rows_per_s: Math.round(loaded / baselineSeconds) },
      pgshift_load: {
        seconds: round(pgshift.seconds),
        rows_per_s: Math.round(loaded / pgshift.seconds),
        peak_rss_mb: round(pgshift.rss, 1),
        in_process_seconds: round(pgshift.inProcess),
      },
      ratio_vs_baseline: round(baselineSeconds / pgshift.seconds),
      ratio_in_process_vs_baseline: round(baselineSeconds / pgshift.inProcess),
      peak_rss_mb_max: round(Math.max(...pgshiftRuns.map((run) => run.rss)), 1),
    };
    log('');
    log(`load, ${rows.toLocaleString('en')} rows (median of 3)     seconds     rows/s   peak RSS`);
    log(
      `  gunzip -c parts | psql \\copy      ${result.baseline_gunzip_psql.seconds.toFixed(2).padStart(10)} ${String(result.baseline_gunzip_psql.rows_per_s).padStart(10)}          -`,
    );
    log(
      `  pgshift load (from local S3)       ${result.pgshift_load.seconds.toFixed(2).padStart(10)} ${String(result.pgshift_load.rows_per_s).padStart(10)} ${result.pgshift_load.peak_rss_mb.toFixed(1).padStart(7)} MB`,
    );
    log(`  ratio ${result.ratio_vs_baseline} (target ≥ 0.9), peak RSS ${result.peak_rss_mb_max} MB (target ≤ 150 MB)`);
    log(`  without process start-up: ${result.pgshift_load.in_process_seconds} s, ratio ${result.ratio_in_process_vs_baseline}`);
    return result;
  };

  try {
    // The extract bench's whole table (4M rows), and its 2M-row interval for comparison: a
    // fixed ~0.5 s of process start-up weighs more on the smaller load.
    const half = await measure(2);
    const full = await measure(4);
    return {
      bench: 'load',
      ...full,
      rows_2m: half,
      targets: { ratio_vs_baseline: 0.9, peak_rss_mb: 150 },
      pass: full.ratio_vs_baseline >= 0.9 && Math.max(full.peak_rss_mb_max, half.peak_rss_mb_max) <= 150,
    };
  } finally {
    await warehouse.end();
    await s3.close();
    await rm(workDir, { recursive: true, force: true });
    await source.server.close();
  }
}
