// `npm run faults`: the shop project run under injected faults (SIGKILL at seeded and named
// points, terminated backends, S3 outages and an unreliable S3 network), each run recovered
// and its warehouse compared with a clean run's. Prints a table per fault class and one JSON
// line; exits 1 when any trial lost or duplicated rows or left orphans.
//   --seed N     the kill points and S3 faults of a run (default 1)
//   --full       at least 50 kill points; without it, the CI subset (at least 10)
//   --tamper     delete one raw row before comparing, to see the suite report a loss

import { seededRandom } from '../test/support/seeded-random.js';
import { KILL_RANDOM, NAMED_FAULTS, type FaultClass } from './faults/fault-classes.js';
import { startFaultStack } from './faults/fault-stack.js';
import { cleanRun, runTrial, type TrialResult } from './faults/run-trial.js';

function flag(name: string): boolean {
  return process.argv.includes(name);
}

function numberFlag(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value)) throw new Error(`${name} needs an integer, got ${process.argv[at + 1]}`);
  return value;
}

async function main(): Promise<number> {
  const seed = numberFlag('--seed', 1);
  const full = flag('--full');
  const random = seededRandom(seed);
  const randomKills = full ? 50 - NAMED_FAULTS.length + 4 : 4;
  const plan: FaultClass[] = [...Array.from({ length: randomKills }, () => KILL_RANDOM), ...NAMED_FAULTS];
  const stack = await startFaultStack({ scale: full ? 3000 : 1000, log: (line) => process.stderr.write(`${line}\n`) });
  const results: TrialResult[] = [];
  try {
    const clean = await cleanRun(stack);
    for (const [index, fault] of plan.entries()) {
      const tamper =
        flag('--tamper') && index === 0
          ? async (world: { db: { query: (sql: string) => Promise<unknown> } }) => {
              await world.db.query('delete from raw.orders where ctid = (select min(ctid) from raw.orders)');
            }
          : undefined;
      const result = await runTrial(stack, fault, clean.rows, { seed: seed * 1000 + index, random, plannedNodes: clean.plannedNodes, tamper });
      results.push(result);
      process.stderr.write(
        `trial ${index + 1}/${plan.length} ${fault.name}: ${result.fired ? 'fired' : 'point not reached'}, ${result.completed ? 'completed' : 'NOT completed'}, lost ${result.lost}, duplicated ${result.duplicated}, orphans ${result.orphans}${result.details.length ? `\n  ${result.details.join('\n  ')}` : ''}\n`,
      );
    }
  } finally {
    await stack.close();
  }
  const classes = [...new Set(results.map((result) => result.fault))].map((fault) => {
    const of = results.filter((result) => result.fault === fault);
    const sum = (key: 'lost' | 'duplicated' | 'orphans') => of.reduce((total, result) => total + result[key], 0);
    return {
      fault,
      trials: of.length,
      fired: of.filter((r) => r.fired).length,
      completed: of.filter((r) => r.completed).length,
      lost: sum('lost'),
      duplicated: sum('duplicated'),
      orphans: sum('orphans'),
    };
  });
  console.table(classes);
  const bad = classes.some((row) => row.lost > 0 || row.duplicated > 0 || row.orphans > 0 || row.completed < row.trials);
  console.log(JSON.stringify({ seed, full, trials: results.length, ok: !bad, classes }));
  return bad ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 2;
  },
);
