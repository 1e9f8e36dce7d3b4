// run / build / seed / test / retry as explicit stages: compile (no secrets) → plan (pure) →
// execute (connections, one executor per resource type, then the after-run steps this
// project registers). The CLI and the demo both call runGraph.
// Over several days (a run without --date catching up missed days, or --start/--end of whole
// days) each source node extracts and loads its table day by day, oldest first, one batch a
// day; then models and tests run once over the span of the days, as for one interval of that
// length: an incremental model's window covers every day loaded. One graph, one
// run_results.json, so `pgshift retry` finishes a run killed on any day.

import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Interval } from '../batch/interval.js';
import { intervalFromFlags } from '../batch/interval.js';
import { requireCopyRole, targetDatabaseOf } from '../config/target.js';
import type { SourceTable } from '../config/project.js';
import { readBatchHistory } from '../load/batch-history.js';
import { logger } from '../log/logger.js';
import { writeCompileArtifacts } from '../project-files/write-artifacts.js';
import { DayOutcomes, reportCatchUp, reportGaps } from '../run/catch-up-summary.js';
import { planRun, type RunCommand } from '../run/plan-run.js';
import { writeRunResults, type Invocation } from '../run/run-results.js';
import { runProject, type RunProjectOptions, type RunProjectResult } from '../run/run-project.js';
import { openWarehouse } from '../warehouse/open-warehouse.js';
import { afterRunSteps } from './after-run-steps.js';
import { runGovernanceFor } from './run-governance-port.js';
import { planCommandDays } from './command-days.js';
import { compileFor, targetDirOf } from './compile-stage.js';
import { withRunLock } from './hold-run-lock.js';
import { acceptedDeletes } from './accepted-deletes.js';
import { describeSelection, type GraphOptions } from './graph-options.js';
import { refuseOverlappingSources } from './overlapping-sources.js';
import { readState } from './read-state.js';
import { ConfigError } from '../errors.js';
import { openRuntime, type GlobalOptions, type Runtime } from './runtime.js';

export type { RunCommand } from '../run/plan-run.js';
export type { RunProjectResult } from '../run/run-project.js';

export interface RunGraphOptions {
  /** For `retry`: exactly these nodes. */
  readonly onlyIds?: readonly string[];
  /** For `retry`: the command of the run it completes and the results it keeps from it. */
  readonly retryOf?: RunProjectOptions['retryOf'];
  readonly signal?: AbortSignal;
  /** How long to wait for another run on the target (--lock-timeout); default 10 minutes. */
  readonly lockTimeoutMs?: number;
}

export async function runGraph(command: RunCommand, globals: GlobalOptions, options: GraphOptions, extra: RunGraphOptions = {}): Promise<RunProjectResult> {
  // The flags are checked first; without any, this is yesterday until the warehouse says more.
  const firstInterval: Interval = intervalFromFlags(options);
  const runtime = await openRuntime(globals, options.threads, options.slices);
  try {
    const { project } = runtime;
    const acceptDeletes = acceptedDeletes(project, options.acceptDeletes);
    const threads = options.threads ?? project.threads;
    const targetDir = targetDirOf(project, options.targetPath);
    const runStartedAt = new Date().toISOString();
    // Connection settings are checked before compiling, as before: a missing secret fails fast.
    const target = runtime.target();
    const first = await prepareRun(runtime, command, options, extra, firstInterval, { threads, targetDir, runStartedAt });
    // As dbt, nothing selected is done at once (the plan said so): no connection, no after-run
    // steps, and a run_results.json without results, so `retry` never finishes an older run.
    if (first.plan.order.length === 0 && !extra.onlyIds) return nothingToRun(first, targetDir);
    const tables = selectedTables(runtime, first);
    // Source nodes extract, then COPY into Redshift: a missing role is found before the extract.
    if (tables.length > 0) requireCopyRole(project, target.name);
    await refuseOverlappingSources(project, first.compiled.manifest, first.plan.order, runtime);

    const warehouse = await openWarehouse(target, () => runtime.s3(), threads);
    try {
      return await withRunLock(target, warehouse, extra.lockTimeoutMs, extra.signal, async () => {
        const days = planCommandDays(project, options, tables, await readBatchHistory(warehouse, extra.signal));
        reportGaps(days);
        const outcomes = new DayOutcomes(days);
        // Models and tests run once, over the span of the days; each source node goes day by day.
        const span = { start: days.steps[0]!.interval.start, end: days.steps[days.steps.length - 1]!.interval.end };
        const run = forInterval(first, span);
        const governance = await runGovernanceFor(project, target, run.compiled.manifest, run.plan, warehouse, { signal: extra.signal });
        const result = await runProject({
          command,
          project,
          targetName: target.name,
          compiled: run.compiled,
          plan: run.plan,
          warehouse,
          s3: () => runtime.s3(),
          sourcePoolFor: (table) => runtime.sourcePool(table),
          invocation: run.invocation,
          interval: span,
          facts: run.facts,
          deferTo: run.deferTo,
          sourceDays: {
            steps: days.steps,
            continueAfterFailedDay: options.continueAfterFailedDay,
            onDay: (day, table, failed) => outcomes.record(day, table, failed),
          },
          acceptDeletes,
          governance,
          targetDir,
          afterRun: afterRunSteps(project, target),
          retryOf: extra.retryOf,
          days: () => outcomes.toRunDays(),
          signal: extra.signal,
          invocationId: run.invocationId,
        });
        reportCatchUp(days, outcomes);
        return result;
      });
    } finally {
      await warehouse.close();
    }
  } finally {
    await runtime.close();
  }
}

async function nothingToRun(day: PreparedDay, targetDir: string): Promise<RunProjectResult> {
  const runResultsPath = await writeRunResults(targetDir, day.invocation, [], 0, () => null);
  return { results: [], tally: { pass: 0, warn: 0, error: 0, skip: 0, total: 0 }, runResultsPath };
}

interface PreparedDay {
  readonly invocation: Invocation;
  readonly facts: RunProjectOptions['facts'];
  readonly compiled: RunProjectOptions['compiled'];
  readonly plan: RunProjectOptions['plan'];
  readonly deferTo: RunProjectOptions['deferTo'];
  readonly invocationId: string;
}

/** The compile and plan, and the invocation and facts of the first day. */
async function prepareRun(
  runtime: Runtime,
  command: RunCommand,
  options: GraphOptions,
  extra: RunGraphOptions,
  interval: Interval,
  settings: { threads: number; targetDir: string; runStartedAt: string },
): Promise<PreparedDay> {
  const { project } = runtime;
  const invocation: Invocation = {
    command,
    target: runtime.targetSpec().name,
    select: options.select ?? [],
    exclude: options.exclude ?? [],
    selector: options.selector,
    vars: options.vars ?? {},
    fullRefresh: Boolean(options.fullRefresh),
    interval: { start: interval.start.toISOString(), end: interval.end.toISOString() },
    threads: settings.threads,
    failFast: Boolean(options.failFast),
    ...(options.empty ? { empty: true } : {}),
    ...(options.storeFailures ? { storeFailures: true } : {}),
    ...(options.defer && options.state ? { deferState: path.resolve(options.state) } : {}),
    ...(extra.retryOf ? { retryOf: extra.retryOf.command } : {}),
  };
  const facts = {
    vars: invocation.vars,
    env: process.env,
    interval: invocation.interval,
    runStartedAt: settings.runStartedAt,
    fullRefresh: invocation.fullRefresh,
  };
  // The manifest compiles as always; only the renders that run read no rows (dbt's --empty).
  if (options.defer && !options.state) {
    throw new ConfigError(
      '--defer needs --state <dir>: the folder holding the manifest.json (of production, say) whose relations stand in for models this run does not build',
    );
  }
  if (options.defer && path.resolve(options.state!) === path.resolve(settings.targetDir)) {
    throw new ConfigError(
      `--defer --state ${options.state}: that is this run's own target folder, whose manifest.json the run replaces; point --state at a copy of production's artefacts`,
    );
  }
  const compiled = await compileFor(project, runtime.targetSpec(), { ...facts, storeFailures: Boolean(options.storeFailures) });
  // One invocation id in manifest.json and run_results.json, as dbt writes them.
  const invocationId = randomUUID();
  await writeCompileArtifacts(compiled.manifest, settings.targetDir, {
    database: targetDatabaseOf(runtime.targetSpec()),
    invocationId,
  });
  const state = await readState(project, options);
  const plan = planRun(compiled.manifest, {
    command,
    select: invocation.select,
    exclude: invocation.exclude,
    selector: invocation.selector,
    ...state,
    onlyIds: extra.onlyIds,
    resourceTypes: options.resourceType,
    excludeResourceTypes: options.excludeResourceType,
    indirectSelection: options.indirectSelection,
    describedAs: describeSelection(options) || undefined,
    empty: options.empty,
  });
  for (const warning of plan.warnings) logger.warn(warning);
  if (plan.leftOutByEmpty?.length) {
    logger.info(
      `--empty: ${plan.leftOutByEmpty.length} source(s) and snapshot(s) left out (nothing extracted, loaded or snapshotted); models read every ref() and source() as no rows`,
      {
        nodes: plan.leftOutByEmpty,
      },
    );
  }
  return { invocation, facts: { ...facts, empty: Boolean(options.empty) }, compiled, plan, deferTo: options.defer ? state.state : undefined, invocationId };
}

/** The same compiled project over another interval: models render at run time with these facts. */
function forInterval(first: PreparedDay, interval: Interval): PreparedDay {
  const range = { start: interval.start.toISOString(), end: interval.end.toISOString() };
  return { ...first, invocation: { ...first.invocation, interval: range }, facts: { ...first.facts, interval: range } };
}

/** The source tables the plan extracts: the ones a catch-up looks up in pgshift_meta.batches. */
function selectedTables(runtime: Runtime, day: PreparedDay): SourceTable[] {
  const sources = day.compiled.manifest.sources;
  const ids = new Set(day.plan.order.filter((id) => id in sources).map((id) => sources[id]!.table_id));
  return runtime.project.tables.filter((table) => ids.has(table.id));
}
