// run / build / seed / test / retry as explicit stages: compile (no secrets) → plan (pure) →
// execute (connections, one executor per resource type, then the after-run steps this
// project registers). The CLI and the demo both call runGraph.

import type { Interval } from '../batch/interval.js';
import { intervalFromFlags } from '../batch/interval.js';
import { requireCopyRole } from '../config/target.js';
import { logger } from '../log/logger.js';
import { writeCompileArtifacts } from '../project-files/write-artifacts.js';
import { planRun, type RunCommand } from '../run/plan-run.js';
import type { Invocation } from '../run/run-results.js';
import { runProject, type RunProjectOptions, type RunProjectResult } from '../run/run-project.js';
import { openWarehouse } from '../warehouse/open-warehouse.js';
import { afterRunSteps } from './after-run-steps.js';
import { compileFor, targetDirOf } from './compile-stage.js';
import { withRunLock } from './hold-run-lock.js';
import { acceptedDeletes } from './accepted-deletes.js';
import type { GraphOptions } from './graph-options.js';
import { refuseOverlappingSources } from './overlapping-sources.js';
import { readState } from './read-state.js';
import { openRuntime, type GlobalOptions } from './runtime.js';

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
  const interval: Interval = intervalFromFlags(options);
  const runtime = await openRuntime(globals, options.threads);
  try {
    const { project } = runtime;
    const acceptDeletes = acceptedDeletes(project, options.acceptDeletes);
    const threads = options.threads ?? project.threads;
    const targetDir = targetDirOf(project, options.targetPath);
    const invocation: Invocation = {
      command,
      target: runtime.targetSpec().name,
      select: options.select ?? [],
      exclude: options.exclude ?? [],
      selector: options.selector,
      vars: options.vars ?? {},
      fullRefresh: Boolean(options.fullRefresh),
      interval: { start: interval.start.toISOString(), end: interval.end.toISOString() },
      threads,
      failFast: Boolean(options.failFast),
      ...(extra.retryOf ? { retryOf: extra.retryOf.command } : {}),
    };
    const facts = {
      vars: invocation.vars,
      env: process.env,
      interval: invocation.interval,
      runStartedAt: new Date().toISOString(),
      fullRefresh: invocation.fullRefresh,
    };
    // Connection settings are checked before compiling, as before: a missing secret fails fast.
    const target = runtime.target();
    const compiled = await compileFor(project, runtime.targetSpec(), facts);
    await writeCompileArtifacts(compiled.manifest, targetDir);
    const state = await readState(project, options);
    const plan = planRun(compiled.manifest, {
      command,
      select: invocation.select,
      exclude: invocation.exclude,
      selector: invocation.selector,
      ...state,
      onlyIds: extra.onlyIds,
    });
    for (const warning of plan.warnings) logger.warn(warning);
    // Source nodes extract, then COPY into Redshift: a missing role is found before the extract.
    if (plan.order.some((id) => id in compiled.manifest.sources)) requireCopyRole(project, target.name);
    await refuseOverlappingSources(project, compiled.manifest, plan.order, runtime);

    const warehouse = await openWarehouse(target, () => runtime.s3(), threads);
    try {
      return await withRunLock(target, warehouse, extra.lockTimeoutMs, extra.signal, () =>
        runProject({
          command,
          project,
          targetName: target.name,
          compiled,
          plan,
          warehouse,
          s3: () => runtime.s3(),
          sourcePoolFor: (table) => runtime.sourcePool(table),
          invocation,
          interval,
          facts,
          acceptDeletes,
          targetDir,
          afterRun: afterRunSteps(project, target),
          retryOf: extra.retryOf,
          signal: extra.signal,
        }),
      );
    } finally {
      await warehouse.close();
    }
  } finally {
    await runtime.close();
  }
}
