// `npm run bench -- deletes`: what `deletes: detect` costs. Its key scan (every primary key of
// the table, streamed to S3 in the extract's snapshot) against a full extract of the same 4M-row
// table, both through the real CLI into the local S3 server, in the same run.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BENCH_ROWS, openBenchSource } from './support/bench-source.js';
import { writeBenchProject } from './support/bench-project.js';
import { medianRun, round } from './support/measure.js';
import { startBenchS3 } from './support/s3-server.js';
import { fmt, runPgshiftExtract } from './support/pgshift-extract.js';

// A day after the bench's four: its window holds no row, so only the key scan has work to do.
const EMPTY_DAY = '2026-11-10';

export async function runDeletesBench(log: (line: string) => void = console.log): Promise<Record<string, unknown>> {
  const source = await openBenchSource(log);
  const workDir = await mkdtemp(path.join(tmpdir(), 'pgshift-bench-deletes-'));
  const s3 = await startBenchS3();
  try {
    const projects = {
      full: await writeBenchProject(workDir, '{ primary_key: id, mode: full }', 'full'),
      keys: await writeBenchProject(workDir, '{ primary_key: id, cursor: updated_at, lookback: 0s, deletes: detect }', 'keys'),
      plain: await writeBenchProject(workDir, '{ primary_key: id, cursor: updated_at, lookback: 0s }', 'plain'),
    };
    const extract = (projectDir: string) => () =>
      runPgshiftExtract(projectDir, ['extract', '--date', EMPTY_DAY], { sourceUrl: source.url, s3Endpoint: s3.endpoint });
    const full = await medianRun(3, extract(projects.full));
    const keys = await medianRun(3, extract(projects.keys));
    const plain = await medianRun(3, extract(projects.plain));
    if (full.rows !== BENCH_ROWS || keys.rows !== 0) throw new Error(`unexpected row counts: full ${full.rows}, key-scan run ${keys.rows}`);

    // The scan itself: the key-scan run less the same empty extract without it (start-up, connect, plan).
    const keyScanSeconds = Math.max(0, keys.seconds - plain.seconds);
    const result = {
      bench: 'deletes',
      rows: BENCH_ROWS,
      full_extract: { seconds: round(full.seconds), peak_rss_mb: round(full.peakRssMb, 1) },
      key_scan_run: { seconds: round(keys.seconds), peak_rss_mb: round(keys.peakRssMb, 1) },
      empty_extract: { seconds: round(plain.seconds), peak_rss_mb: round(plain.peakRssMb, 1) },
      key_scan_seconds: round(keyScanSeconds),
      ratio_key_scan_vs_full_extract: round(keyScanSeconds / full.seconds),
      ratio_key_scan_run_vs_full_extract: round(keys.seconds / full.seconds),
      targets: { ratio_key_scan_vs_full_extract: 0.25, peak_rss_mb: 150 },
    };
    const pass = result.ratio_key_scan_vs_full_extract <= 0.25 && keys.peakRssMb <= 150;
    log('');
    log(`deletes: detect, ${BENCH_ROWS.toLocaleString('en')} rows          seconds   peak RSS`);
    log(`  full extract (mode: full)              ${fmt(full.seconds)} ${fmt(full.peakRssMb)} MB`);
    log(`  empty window + key scan               ${fmt(keys.seconds)} ${fmt(keys.peakRssMb)} MB`);
    log(`  empty window alone                    ${fmt(plain.seconds)} ${fmt(plain.peakRssMb)} MB`);
    log(
      `  key scan / full extract = ${result.ratio_key_scan_vs_full_extract} (target ≤ 0.25); whole run / full = ${result.ratio_key_scan_run_vs_full_extract}`,
    );
    return { ...result, pass };
  } finally {
    await s3.close();
    await rm(workDir, { recursive: true, force: true });
    await source.server.close();
  }
}
