// pgshift as a library: the stages the CLI calls, for scripts, the demo and orchestrators.
// compile (no secrets) → plan (pure) → execute; plus the single-stage extract, load, report.

export { compileFor, compileStage, compileToTarget, type CompileStageResult } from './compile-stage.js';
export { listNodes } from './list-nodes.js';
export { runGraph, type RunCommand, type RunGraphOptions, type RunProjectResult } from './run-graph.js';
export { retryLastRun } from './retry.js';
export { sourceFreshness } from './freshness.js';
export { extractBatches, type ExtractOptions } from './extract-batches.js';
export { loadBatches, type LoadOptions } from './load-batches.js';
export { writeDayReport, type DayReportOptions } from './write-day-report.js';
export { afterRunSteps } from './after-run-steps.js';
export { planRun, type PlanOptions, type RunPlan } from '../run/plan-run.js';
export { parseCliVars, type GraphOptions } from './graph-options.js';
export { openRuntime, type GlobalOptions, type Runtime } from './runtime.js';
