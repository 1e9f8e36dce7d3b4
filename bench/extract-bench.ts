// `npm run bench -- extract`: pgshift's extract against `psql \copy | gzip -1` on the same
// rows in the same run. Prints rows/s, MB/s, the ratios and peak RSS, then one JSON line.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { BENCH_COLUMNS, BENCH_FIRST_DAY, BENCH_ROWS, BENCH_TABLE, benchDays, openBenchSource } from './support/bench-source.js';
import { writeBenchProject } from './support/bench-project.js';
import { measureCommand, medianRun, round } from './support/measure.js';
import { startBenchS3 } from './support/s3-server.js';
import { fmt, runPgshiftExtract } from './support/pgshift-extract.js';

interface ExtractFigures {
  rows: number;
  bytesIn: number;
  seconds: number;
  peakRssMb?: number;
  cpuSeconds?: number;
}

export async function runExtractBench(log: (line: string) => void = console.log): Promise<Record<string, unknown>> {
  const source = await openBenchSource(log);
  const workDir = await mkdtemp(path.join(tmpdir(), 'pgshift-bench-'));
  const projectDir = await writeBenchProject(workDir);
  const s3 = await startBenchS3();
  const endpoint = s3.endpoint;
  const bytesFile = path.join(workDir, 'csv.bytes');
  try {
    const twoDays = benchDays(2);
    const bytesOfTwoDays = { value: 0 };

    const baseline = await medianRun(3, async () => {
      // The same rows and columns pgshift writes, its two metadata columns included.
      const query = `select ${BENCH_COLUMNS}, '2026-11-01_2026-11-02' as batch_id, now() as extracted_at from ${BENCH_TABLE} where updated_at >= '${twoDays.start}' and updated_at < '${twoDays.end}'`;
      const measured = await measureCommand(
        `psql '${source.url}' -c "\\copy (${query}) to stdout csv" | tee >(wc -c > ${bytesFile}) | gzip -1 > /dev/null; sleep 0.1; cat ${bytesFile}`,
        [],
        process.env,
        true,
      );
      bytesOfTwoDays.value = Number(measured.stdout.trim().split('\n').at(-1));
      return { rows: 2_000_000, bytesIn: bytesOfTwoDays.value, seconds: measured.seconds };
    });
    const extract =
      (days: number, dryRun: boolean, target = 'dev') =>
      async (): Promise<ExtractFigures> => {
        const interval = benchDays(days);
        const args = ['--target', target, 'extract', '--start', interval.start, '--end', interval.end];
        return runPgshiftExtract(projectDir, dryRun ? [...args, '--dry-run'] : args, { sourceUrl: source.url, s3Endpoint: endpoint });
      };
    const dryRun = await medianRun(3, extract(2, true));
    // The same dry run for a Redshift target: the value checks' extra read and text sizing.
    const checked = await medianRun(3, extract(2, true, 'redshift'));
    const toS3 = await medianRun(3, extract(2, false));
    const rss1m = await extract(1, false)();
    const rss4m = await extract(4, false)();

    // The whole table in parallel: two psql pipes over its two ctid halves (the limit of two
    // connections) against `pgshift extract --slices 2` of a `mode: full` project.
    const pages = await tablePages(source.url);
    const half = Math.floor(pages / 2);
    const fullQuery = (where: string) => `select ${BENCH_COLUMNS}, '${BENCH_FIRST_DAY}' as batch_id, now() as extracted_at from ${BENCH_TABLE}${where}`;
    const pipe = (where: string) => `psql '${source.url}' -c "\\copy (${fullQuery(where)}) to stdout csv" | gzip -1 > /dev/null`;
    const shell = async (command: string): Promise<ExtractFigures> => {
      const measured = await measureCommand(command, [], process.env, true);
      return { rows: BENCH_ROWS, bytesIn: 0, seconds: measured.seconds, cpuSeconds: measured.cpuSeconds };
    };
    const onePipe = await medianRun(3, () => shell(pipe('')));
    const twoPipes = await medianRun(3, () =>
      shell(`${pipe(` where ctid < '(${half},0)'::tid`)} & first=$!; ${pipe(` where ctid >= '(${half},0)'::tid`)} & second=$!; wait $first && wait $second`),
    );
    const fullProject = await writeBenchProject(workDir, '{ primary_key: id, mode: full }', 'full');
    const fullExtract = (slices: number) => () =>
      runPgshiftExtract(fullProject, ['--target', 'dev', 'extract', '--date', BENCH_FIRST_DAY, '--slices', String(slices)], {
        sourceUrl: source.url,
        s3Endpoint: endpoint,
      });
    const sliced2 = await medianRun(3, fullExtract(2));
    const sliced1 = await fullExtract(1)();
    const sliced8 = await fullExtract(8)();
    const oneDay = benchDays(1);
    const sliced8OneDay = await runPgshiftExtract(projectDir, ['--target', 'dev', 'extract', '--start', oneDay.start, '--end', oneDay.end, '--slices', '8'], {
      sourceUrl: source.url,
      s3Endpoint: endpoint,
    });
    const cpuPerMillion = (figures: ExtractFigures) => (figures.cpuSeconds ?? 0) / (figures.rows / 1e6);

    const rate = (figures: ExtractFigures) => ({ rowsPerSecond: figures.rows / figures.seconds, mbPerSecond: figures.bytesIn / 1e6 / figures.seconds });
    const a = rate(baseline);
    const b = rate(dryRun);
    const c = rate(toS3);
    const d = rate(checked);
    const result = {
      bench: 'extract',
      rows: 2_000_000,
      csv_mb: round(bytesOfTwoDays.value / 1e6, 1),
      baseline_psql_gzip1: { seconds: round(baseline.seconds), rows_per_s: Math.round(a.rowsPerSecond), mb_per_s: round(a.mbPerSecond, 1) },
      pgshift_dry_run: {
        seconds: round(dryRun.seconds),
        rows_per_s: Math.round(b.rowsPerSecond),
        mb_per_s: round(b.mbPerSecond, 1),
        peak_rss_mb: round(dryRun.peakRssMb ?? 0, 1),
      },
      pgshift_to_s3: {
        seconds: round(toS3.seconds),
        rows_per_s: Math.round(c.rowsPerSecond),
        mb_per_s: round(c.mbPerSecond, 1),
        peak_rss_mb: round(toS3.peakRssMb ?? 0, 1),
      },
      ratio_dry_run_vs_baseline: round(b.rowsPerSecond / a.rowsPerSecond),
      ratio_s3_vs_baseline: round(c.rowsPerSecond / a.rowsPerSecond),
      pgshift_dry_run_redshift_value_checks: { seconds: round(checked.seconds), rows_per_s: Math.round(d.rowsPerSecond) },
      ratio_value_checks_vs_dry_run: round(d.rowsPerSecond / b.rowsPerSecond),
      peak_rss_mb_1m_rows: round(rss1m.peakRssMb ?? 0, 1),
      peak_rss_mb_4m_rows: round(rss4m.peakRssMb ?? 0, 1),
      slices: {
        rows: BENCH_ROWS,
        pages,
        baseline_psql_gzip1_whole_table: {
          seconds: round(onePipe.seconds),
          rows_per_s: Math.round(rate(onePipe).rowsPerSecond),
          cpu_s: round(onePipe.cpuSeconds ?? 0),
        },
        limit_two_psql_pipes: {
          seconds: round(twoPipes.seconds),
          rows_per_s: Math.round(rate(twoPipes).rowsPerSecond),
          cpu_s: round(twoPipes.cpuSeconds ?? 0),
        },
        pgshift_slices_2: {
          seconds: round(sliced2.seconds),
          rows_per_s: Math.round(rate(sliced2).rowsPerSecond),
          cpu_s: round(sliced2.cpuSeconds ?? 0),
          peak_rss_mb: round(sliced2.peakRssMb ?? 0, 1),
        },
        pgshift_slices_1: {
          seconds: round(sliced1.seconds),
          rows_per_s: Math.round(rate(sliced1).rowsPerSecond),
          cpu_s: round(sliced1.cpuSeconds ?? 0),
          peak_rss_mb: round(sliced1.peakRssMb ?? 0, 1),
        },
        ratio_e_vs_d: round(rate(sliced2).rowsPerSecond / rate(twoPipes).rowsPerSecond),
        ratio_e_vs_a: round(rate(sliced2).rowsPerSecond / a.rowsPerSecond),
        ratio_e_vs_whole_table_pipe: round(rate(sliced2).rowsPerSecond / rate(onePipe).rowsPerSecond),
        cpu_s_per_million_rows: {
          pgshift_slices_1: round(cpuPerMillion(sliced1)),
          psql_gzip_one_pipe: round(cpuPerMillion(onePipe)),
          pgshift_slices_2: round(cpuPerMillion(sliced2)),
          psql_gzip_two_pipes: round(cpuPerMillion(twoPipes)),
        },
        ratio_cpu_slices_1: round(cpuPerMillion(sliced1) / cpuPerMillion(onePipe)),
        ratio_cpu_slices_2: round(cpuPerMillion(sliced2) / cpuPerMillion(twoPipes)),
        peak_rss_mb_slices_8_1m_rows: round(sliced8OneDay.peakRssMb, 1),
        peak_rss_mb_slices_8_4m_rows: round(sliced8.peakRssMb, 1),
        targets: { ratio_e_vs_d: 0.9, ratio_e_vs_a: 1.0, ratio_cpu: 1.0, peak_rss_mb: 128 },
      },
      targets: { ratio_dry_run_vs_baseline: 0.9, ratio_s3_vs_baseline: 0.75, peak_rss_mb: 150 },
    };
    const slicesPass =
      result.slices.ratio_e_vs_d >= 0.9 &&
      result.slices.ratio_e_vs_a >= 1.0 &&
      Math.max(result.slices.ratio_cpu_slices_1, result.slices.ratio_cpu_slices_2) <= 1.0 &&
      Math.max(result.slices.peak_rss_mb_slices_8_1m_rows, result.slices.peak_rss_mb_slices_8_4m_rows, result.slices.pgshift_slices_2.peak_rss_mb) <= 128;
    const pass =
      result.ratio_dry_run_vs_baseline >= 0.9 &&
      result.ratio_s3_vs_baseline >= 0.75 &&
      Math.max(result.peak_rss_mb_1m_rows, result.peak_rss_mb_4m_rows) <= 150 &&
      slicesPass;
    log('');
    log('extract, 2,000,000 rows                 seconds     rows/s      MB/s   peak RSS');
    log(`  (a) psql \\copy | gzip -1             ${fmt(baseline.seconds)} ${fmtInt(a.rowsPerSecond)} ${fmt(a.mbPerSecond)}          -`);
    log(`  (b) pgshift extract --dry-run         ${fmt(dryRun.seconds)} ${fmtInt(b.rowsPerSecond)} ${fmt(b.mbPerSecond)} ${fmt(dryRun.peakRssMb ?? 0)} MB`);
    log(`  (c) pgshift extract → local S3        ${fmt(toS3.seconds)} ${fmtInt(c.rowsPerSecond)} ${fmt(c.mbPerSecond)} ${fmt(toS3.peakRssMb ?? 0)} MB`);
    log(
      `  (d) (b) for a Redshift target         ${fmt(checked.seconds)} ${fmtInt(d.rowsPerSecond)} ${fmt(d.mbPerSecond)}          -   (value checks + text sizing)`,
    );
    log(
      `  b/a = ${result.ratio_dry_run_vs_baseline} (target ≥ 0.9)   c/a = ${result.ratio_s3_vs_baseline} (target ≥ 0.75)   d/b = ${result.ratio_value_checks_vs_dry_run} (no target)`,
    );
    log(`  peak RSS → S3: ${result.peak_rss_mb_1m_rows} MB at 1M rows, ${result.peak_rss_mb_4m_rows} MB at 4M rows (target ≤ 150 MB)`);
    const sl = result.slices;
    log('');
    log(`whole table in parallel, ${BENCH_ROWS.toLocaleString('en')} rows       seconds     rows/s     CPU s   peak RSS`);
    log(`  (a') psql \\copy | gzip -1, one pipe   ${fmt(onePipe.seconds)} ${fmtInt(rate(onePipe).rowsPerSecond)} ${fmt(onePipe.cpuSeconds ?? 0)}          -`);
    log(`  (d) two pipes over the ctid halves    ${fmt(twoPipes.seconds)} ${fmtInt(rate(twoPipes).rowsPerSecond)} ${fmt(twoPipes.cpuSeconds ?? 0)}          -`);
    log(
      `  (e) pgshift extract --slices 2 → S3   ${fmt(sliced2.seconds)} ${fmtInt(rate(sliced2).rowsPerSecond)} ${fmt(sliced2.cpuSeconds ?? 0)} ${fmt(sliced2.peakRssMb)} MB`,
    );
    log(
      `      pgshift extract --slices 1 → S3   ${fmt(sliced1.seconds)} ${fmtInt(rate(sliced1).rowsPerSecond)} ${fmt(sliced1.cpuSeconds ?? 0)} ${fmt(sliced1.peakRssMb)} MB`,
    );
    log(`  e/d = ${sl.ratio_e_vs_d} (target ≥ 0.9)   e/a = ${sl.ratio_e_vs_a} (target ≥ 1.0)   e/a' = ${sl.ratio_e_vs_whole_table_pipe}`);
    log(`  (f) CPU s per 1M rows, pgshift / (psql + gzip): 1 slice ${sl.ratio_cpu_slices_1}, 2 slices ${sl.ratio_cpu_slices_2} (target ≤ 1.0)`);
    log(`  peak RSS with --slices 8: ${sl.peak_rss_mb_slices_8_1m_rows} MB at 1M rows, ${sl.peak_rss_mb_slices_8_4m_rows} MB at 4M rows (target ≤ 128 MB)`);
    return { ...result, pass };
  } finally {
    await s3.close();
    await rm(workDir, { recursive: true, force: true });
    await source.server.close();
  }
}

function fmtInt(value: number): string {
  return Math.round(value).toLocaleString('en').padStart(10);
}

/** The bench table's blocks now (pg_relation_size / block_size), to split it in two halves. */
async function tablePages(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pages: string }>(`select (pg_relation_size($1::regclass) / current_setting('block_size')::int)::bigint as pages`, [
      BENCH_TABLE,
    ]);
    return Number(rows[0]!.pages);
  } finally {
    await client.end();
  }
}
