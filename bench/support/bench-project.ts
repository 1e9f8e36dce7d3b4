// A throwaway project holding just the bench table, so benches run the real CLI.

import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BENCH_TABLE } from './bench-source.js';

/** `table`: the bench table's entry in pgshift.yml (an incremental extract by default). */
export async function writeBenchProject(dir: string, table = '{ primary_key: id, cursor: updated_at, lookback: 0s }', name = 'project'): Promise<string> {
  const projectDir = path.join(dir, name);
  await rm(projectDir, { recursive: true, force: true });
  await mkdir(projectDir, { recursive: true });
  await writeFile(
    path.join(projectDir, 'pgshift.yml'),
    `name: bench
staging: { bucket: bench, prefix: bench }
targets:
  dev: { type: postgres }
  # Only resolved, never connected: an extract for a Redshift target adds the value checks.
  redshift: { type: redshift, database: bench, cluster_identifier: bench, db_user: bench }
sources:
  shop:
    tables:
      ${BENCH_TABLE}: ${table}
`,
  );
  return projectDir;
}
