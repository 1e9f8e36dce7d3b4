// `pgshift extract` of the bench table through the real CLI, timed, with the figures its JSON
// log reports: what the extract and deletes benches measure.

import path from 'node:path';
import { BENCH_TABLE } from './bench-source.js';
import { measureCommand } from './measure.js';

const PGSHIFT = path.resolve('bin', 'pgshift.js');

export interface ExtractRun {
  readonly rows: number;
  readonly bytesIn: number;
  readonly seconds: number;
  readonly peakRssMb: number;
  readonly cpuSeconds: number;
}

/** `pgshift --log-format json --project-dir <dir> extract <args>` against the bench source and the local S3 server. */
export async function runPgshiftExtract(projectDir: string, args: readonly string[], env: { sourceUrl: string; s3Endpoint: string }): Promise<ExtractRun> {
  // The bin itself (not `node bin/pgshift.js`), so its shebang's V8 flags apply as for users.
  const measured = await measureCommand(PGSHIFT, ['--log-format', 'json', '--project-dir', projectDir, ...args], {
    ...process.env,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    PGSHIFT_SOURCE_URL: env.sourceUrl,
    PGSHIFT_S3_ENDPOINT: env.s3Endpoint,
  });
  // One line per batch: a range of whole days is extracted day by day.
  const extracted = measured.stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg: string; rows?: number; mb?: number })
    .filter((line) => line.msg === `extracted shop.${BENCH_TABLE}`);
  if (extracted.length === 0) throw new Error(`pgshift extract printed no result:\n${measured.stderr.slice(-2000)}`);
  const sum = (value: (line: (typeof extracted)[number]) => number | undefined) => extracted.reduce((total, line) => total + (value(line) ?? 0), 0);
  return {
    rows: sum((line) => line.rows),
    bytesIn: sum((line) => line.mb) * 1e6,
    seconds: measured.seconds,
    peakRssMb: measured.peakRssMb ?? 0,
    cpuSeconds: measured.cpuSeconds ?? 0,
  };
}

/** Seconds or megabytes, right-aligned for the benches' tables. */
export function fmt(value: number): string {
  return value.toFixed(2).padStart(10);
}
