// One trial: the two days of the shop project run in a fresh warehouse, the fault injected
// into one of them, that run recovered the way an operator would (`pgshift retry`, then the
// same `pgshift run` once more if the retry did not finish it), then the warehouse compared
// with the clean run's.

import { startFaultyS3Proxy } from '../../test/support/faulty-s3-proxy.js';
import { runCli, startCli } from '../../test/support/run-cli.js';
import type { FaultClass } from './fault-classes.js';
import { DAY_ONE, DAY_TWO, PII_KEY, type FaultStack, type TrialWorld, type Warehouse } from './fault-stack.js';
import { compareRows, leftovers, orphanCount, tableRows, type TableRows } from './table-checksums.js';

export interface TrialResult {
  readonly warehouse: Warehouse;
  readonly fault: string;
  readonly fired: boolean;
  readonly completed: boolean;
  readonly lost: number;
  readonly duplicated: number;
  readonly orphans: number;
  readonly details: string[];
}

function environment(stack: FaultStack, world: TrialWorld, s3Endpoint: string): Record<string, string> {
  return {
    PGSHIFT_SOURCE_URL: stack.sourceUrl,
    ...world.warehouseEnv,
    PGSHIFT_S3_ENDPOINT: s3Endpoint,
    PGSHIFT_PII_KEY: PII_KEY,
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: 'us-east-1',
  };
}

const args = (world: TrialWorld, ...rest: readonly string[]) => ['--project-dir', world.projectDir, '--target', world.target, ...rest];

/** The clean run every trial is compared with. */
export async function cleanRun(stack: FaultStack, warehouse: Warehouse): Promise<{ rows: TableRows; plannedNodes: number }> {
  const world = await stack.trial('clean', warehouse);
  try {
    const env = environment(stack, world, stack.stack.s3.endpoint);
    let plannedNodes = 0;
    for (const day of [DAY_ONE, DAY_TWO]) {
      const run = await runCli(args(world, 'run', ...day), env);
      if (run.code !== 0) throw new Error(`faults: the clean run on ${warehouse} failed (${day.join(' ')}):\n${run.stderr}`);
      plannedNodes ||= Number(/running (\d+) node/.exec(run.stderr)?.[1] ?? 0);
    }
    return { rows: await tableRows(world.db), plannedNodes };
  } finally {
    await world.drop();
  }
}

export async function runTrial(
  stack: FaultStack,
  warehouse: Warehouse,
  fault: FaultClass,
  clean: TableRows,
  options: { seed: number; random: () => number; plannedNodes: number; tamper?: (world: TrialWorld) => Promise<void> },
): Promise<TrialResult> {
  const world = await stack.trial(fault.name, warehouse);
  const proxy = await startFaultyS3Proxy({
    upstream: stack.stack.s3.endpoint,
    seed: options.seed,
    errorRate: fault.s3?.errorRate ?? 0,
    resetRate: fault.s3?.resetRate ?? 0,
  });
  const details: string[] = [];
  try {
    const env = environment(stack, world, proxy.endpoint);
    let fired = false;
    let completed = true;
    for (const [index, day] of [DAY_ONE, DAY_TWO].entries()) {
      if (index + 1 !== fault.day) {
        const run = await runCli(args(world, 'run', ...day), env);
        if (run.code !== 0) details.push(`day ${index + 1} run exited ${run.code}: ${lastLine(run.stderr)}`);
        completed &&= run.code === 0;
        continue;
      }
      const startedAt = new Date();
      // The emulator's own faults last for the faulted run only; the recovery finds it healthy.
      if (fault.emulator?.failures) world.emulator?.setFailures({ ...fault.emulator.failures, seed: options.seed });
      if (fault.emulator?.throttle) world.emulator?.setThrottle({ ...fault.emulator.throttle, seed: options.seed });
      const run = startCli(args(world, 'run', ...day), env);
      fired = await fault.inject({
        run,
        startedAt,
        adminUrl: stack.stack.postgres.adminUrl,
        sourceUrl: stack.sourceUrl,
        warehouseUrl: world.warehouseUrl,
        projectDir: world.projectDir,
        proxy,
        emulator: world.emulator,
        random: options.random,
        plannedNodes: options.plannedNodes,
      });
      const first = await run.exited;
      // S3's faults, like the emulator's, last for the faulted run only: the recovery is what an
      // operator runs once the network is back (a flaky network over a many-day backfill can
      // exhaust a request's retries somewhere; the faulted run must then fail cleanly).
      proxy.heal();
      world.emulator?.setFailures({});
      world.emulator?.setThrottle({});
      if (first.code === 0) continue;
      details.push(`faulted run ended ${first.signal ?? `with exit ${first.code}`}`);
      // On Redshift the killed run's lease row stays; the retry takes it over at once, its process
      // being gone from this host (src/warehouse/redshift-run-lock.ts), as an operator's rerun would.
      const retry = await runCli(args(world, 'retry'), env);
      if (retry.code === 0 && !/nothing to do/.test(retry.stderr)) continue;
      details.push(`retry exited ${retry.code}: ${lastLine(retry.stderr)}`);
      const again = await runCli(args(world, 'run', ...day), env);
      if (again.code !== 0) details.push(`rerun exited ${again.code}: ${lastLine(again.stderr)}`);
      completed &&= again.code === 0;
    }
    await options.tamper?.(world);
    const comparison = compareRows(clean, await tableRows(world.db));
    const left = await leftovers(world.db, stack.s3, world.bucket);
    details.push(...comparison.differences, ...left.helperRelations.map((name) => `helper relation ${name}`));
    details.push(...left.stuckBatches.map((name) => `batch record ${name}`), ...left.multipartUploads.map((key) => `open multipart upload ${key}`));
    details.push(...left.duplicateKeys.map((name) => `duplicate keys ${name}`));
    return {
      warehouse,
      fault: fault.name,
      fired,
      completed,
      lost: comparison.lost,
      duplicated: comparison.duplicated + left.duplicateKeys.length,
      orphans: orphanCount(left),
      details,
    };
  } finally {
    await proxy.close();
    await world.drop();
  }
}

/** The run's first error line (what failed) and its last line (how it ended). */
function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  const firstError = lines.find((line) => / ERROR | FAIL /.test(line));
  const last = lines.at(-1) ?? '';
  return firstError && firstError !== last ? `${firstError.slice(0, 400)} … ${last}` : last;
}
