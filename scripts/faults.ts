// `npm run faults`: the shop project run under injected faults (SIGKILL at seeded and named
// points, terminated backends, S3 outages and an unreliable S3 network; on Redshift also
// failed statements and throttling of the Data API), each run recovered and its warehouse
// compared with a clean run's on the same warehouse. Prints a table per warehouse and fault
// class and one JSON line; exits 1 when any trial lost or duplicated rows or left orphans.
//   --seed N                               the kill points and faults of a run (default 1)
//   --warehouse postgres|redshift|both     which warehouses (default both)
//   --full                                 at least 50 kill points per warehouse; without it,
//                                          the CI subset (every class on PostgreSQL, three on Redshift)
//   --class A,B                            only these fault classes (kill-random among them: its kill points)
//   --tamper                               delete one raw row before comparing, to see the suite report a loss

import { seededRandom } from '../test/support/seeded-random.js';
import { DATA_API_FAULTS, KILL_RANDOM, NAMED_FAULTS, type FaultClass } from './faults/fault-classes.js';
import { startFaultStack, WAREHOUSES, type Warehouse } from './faults/fault-stack.js';
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

function warehousesFlag(): readonly Warehouse[] {
  const at = process.argv.indexOf('--warehouse');
  if (at < 0) return WAREHOUSES;
  const value = process.argv[at + 1];
  if (value === 'both') return WAREHOUSES;
  if (value === 'postgres' || value === 'redshift') return [value];
  throw new Error(`--warehouse takes postgres, redshift or both, got ${value}`);
}

/**
 * The Redshift classes of the CI subset. A Redshift trial takes about 30 s (every statement a Data
 * API round trip through the emulator, and two days per trial), so CI runs the three that only the
 * Redshift path has: a kill inside a batch load (the lease takeover, the COPY's transaction on
 * the Data API), failed statements and throttling. `--full` (or `--class`) runs every class.
 */
const REDSHIFT_CI_CLASSES = ['kill-copy-before-commit', 'redshift-failed-statements', 'redshift-throttled'];

function listFlag(name: string): string[] | undefined {
  const at = process.argv.indexOf(name);
  return at < 0 ? undefined : (process.argv[at + 1] ?? '').split(',').filter(Boolean);
}

/** The trials of one warehouse: seeded random kills first, then every named class that applies there. */
function planFor(warehouse: Warehouse, full: boolean, only: readonly string[] | undefined): FaultClass[] {
  const applies = [...NAMED_FAULTS, ...DATA_API_FAULTS].filter((fault) => (fault.warehouses ?? WAREHOUSES).includes(warehouse));
  const known = new Set([KILL_RANDOM.name, ...NAMED_FAULTS.map((fault) => fault.name), ...DATA_API_FAULTS.map((fault) => fault.name)]);
  for (const name of only ?? []) if (!known.has(name)) throw new Error(`--class: no fault class ${name}; known: ${[...known].join(', ')}`);
  const namedKills = NAMED_FAULTS.filter((fault) => fault.name.startsWith('kill-')).length;
  // Full: at least 50 kill points (random + named) on each warehouse.
  const randomKills = full ? 50 - namedKills : warehouse === 'postgres' || only ? 4 : 0;
  const chosen = only ?? (full || warehouse === 'postgres' ? undefined : REDSHIFT_CI_CLASSES);
  const named = chosen ? applies.filter((fault) => chosen.includes(fault.name)) : applies;
  const random = !only || only.includes(KILL_RANDOM.name) ? randomKills : 0;
  return [...Array.from({ length: random }, () => KILL_RANDOM), ...named];
}

async function main(): Promise<number> {
  const seed = numberFlag('--seed', 1);
  const full = flag('--full');
  const warehouses = warehousesFlag();
  const only = listFlag('--class');
  const stack = await startFaultStack({ scale: full ? 3000 : 1000, log: (line) => process.stderr.write(`${line}\n`) });
  const results: TrialResult[] = [];
  try {
    for (const [warehouseIndex, warehouse] of warehouses.entries()) {
      // A sequence of its own per warehouse, so one warehouse's kill points do not depend on whether the other ran.
      const random = seededRandom(warehouse === 'postgres' ? seed : seed + 7919);
      const plan = planFor(warehouse, full, only);
      const clean = await cleanRun(stack, warehouse);
      for (const [index, fault] of plan.entries()) {
        const tamper =
          flag('--tamper') && index === 0 && warehouseIndex === 0
            ? async (world: { db: { query: (sql: string) => Promise<unknown> } }) => {
                await world.db.query('delete from raw.orders where ctid = (select min(ctid) from raw.orders)');
              }
            : undefined;
        const trialSeed = seed * 1000 + index + (warehouse === 'postgres' ? 0 : 500);
        const result = await runTrial(stack, warehouse, fault, clean.rows, { seed: trialSeed, random, plannedNodes: clean.plannedNodes, tamper });
        results.push(result);
        process.stderr.write(
          `trial ${warehouse} ${index + 1}/${plan.length} ${fault.name}: ${result.fired ? 'fired' : 'point not reached'}, ${result.completed ? 'completed' : 'NOT completed'}, lost ${result.lost}, duplicated ${result.duplicated}, orphans ${result.orphans}${result.details.length ? `\n  ${result.details.join('\n  ')}` : ''}\n`,
        );
      }
    }
  } finally {
    await stack.close();
  }
  const keys = [...new Set(results.map((result) => `${result.warehouse}\t${result.fault}`))];
  const classes = keys.map((key) => {
    const [warehouse, fault] = key.split('\t') as [Warehouse, string];
    const of = results.filter((result) => result.warehouse === warehouse && result.fault === fault);
    const sum = (name: 'lost' | 'duplicated' | 'orphans') => of.reduce((total, result) => total + result[name], 0);
    return {
      warehouse,
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
  console.log(JSON.stringify({ seed, full, warehouses, trials: results.length, ok: !bad, classes }));
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
