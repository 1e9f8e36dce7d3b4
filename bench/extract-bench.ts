// `npm run bench -- extract`: pgshift's extract against `psql \copy | gzip -1` on the same
// rows in the same run. Prints rows/s, MB/s, the ratios and peak RSS, then one JSON line.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BENCH_COLUMNS, BENCH_TABLE, benchDays, openBenchSource } from './support/bench-source.js';
import { writeBenchProject } from './support/bench-project.js';
import { measureCommand, medianRun, round } from './support/measure.js';
import { startBenchS3 } from './support/s3-server.js';
import { fmt, runPgshiftExtract } from './support/pgshift-extract.js';

interface ExtractFigures {
  rows: number;
  bytesIn: number;
  seconds: number;
  peakRssMb?: number;
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
      targets: { ratio_dry_run_vs_baseline: 0.9, ratio_s3_vs_baseline: 0.75, peak_rss_mb: 150 },
    };
    const pass =
      result.ratio_dry_run_vs_baseline >= 0.9 && result.ratio_s3_vs_baseline >= 0.75 && Math.max(result.peak_rss_mb_1m_rows, result.peak_rss_mb_4m_rows) <= 150;
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
