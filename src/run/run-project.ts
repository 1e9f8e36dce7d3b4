// Executing a planned run: the nodes through the graph scheduler, each by the executor of its
// resource type, then the after-run steps the caller registered; run_results.json is kept
// current throughout.
// Compiling and planning happened before (see api/); nothing here selects or renders a project.

import { ConfigError } from '../errors.js';
import { ExtractProgress } from '../extract/extract-progress.js';
import { logger } from '../log/logger.js';
import {
  dbtUniqueId,
  getNode,
  relationKey,
  type AnyNode,
  type Manifest,
  type ModelNode,
  type NodeRenderer,
  type OperationRenderer,
} from '../manifest/index.js';
import { quoteIdent } from '../sql/quote-ident.js';
import { LIST_RELATIONS_SQL } from '../warehouse/catalog-queries.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import type { AfterRunContext, AfterRunStep } from './after-run-step.js';
import { cleanUpLeftoverHelpers } from './materializations/leftover-helpers.js';
import { readViewDefinitions } from './materializations/index.js';
import { EXECUTORS, type ExecutionContext, type NodeExecutor } from './executors/index.js';
import { scheduleGraph } from './graph-scheduler.js';
import type { NodeOutcome, NodeResult } from './node-status.js';
import type { RunCommand, RunPlan } from './plan-run.js';
import type { RunDays } from './run-days.js';
import type { Invocation, ResultNodeFacts } from './run-results.js';
import { RunResultsWriter } from './run-results-writer.js';
import { describeNode, reportFinish, reportSummary, type Tally } from './run-summary.js';
import { runHooks, type RunHooksContext } from './run-hooks.js';
import { deferredRelations } from './deferred-relations.js';

export type { RunCommand } from './plan-run.js';

/** The connections and facts every executor is handed come straight from the caller. */
export interface RunProjectOptions
  extends Pick<
    ExecutionContext,
    'project' | 'warehouse' | 's3' | 'sourcePoolFor' | 'interval' | 'facts' | 'acceptDeletes' | 'sourceDays' | 'governance' | 'signal'
  > {
  readonly command: RunCommand;
  readonly targetName: string;
  readonly compiled: NodeRenderer & OperationRenderer & { readonly manifest: Manifest };
  readonly plan: RunPlan;
  readonly invocation: Invocation;
  readonly targetDir: string;
  readonly afterRun?: readonly AfterRunStep[];
  /**
   * For `retry`: the command of the run it completes and that run's results kept as they were,
   * so the after-run steps (the report) see the whole run, and run_results.json holds it.
   */
  readonly retryOf?: { readonly command: RunCommand; readonly carried: readonly NodeResult[] };
  /** The days of the run and how each went so far, recorded in run_results.json. */
  readonly days?: () => RunDays;
  /** --defer: the --state manifest whose relations stand in for nodes this run neither builds nor finds. */
  readonly deferTo?: Manifest;
  /** The invocation_id of the run's manifest.json, repeated in run_results.json. */
  readonly invocationId?: string;
}

export interface RunProjectResult {
  readonly results: NodeResult[];
  readonly tally: Tally;
  readonly runResultsPath: string;
}

export async function runProject(options: RunProjectOptions): Promise<RunProjectResult> {
  const started = Date.now();
  const { compiled, plan, warehouse, invocation } = options;
  const manifest = compiled.manifest;
  const order = [...plan.order];
  // Written before the first statement, so a run that dies at any point leaves its own file,
  // never the previous run's.
  const runResults = new RunResultsWriter({
    targetDir: options.targetDir,
    invocation,
    planned: order,
    steps: (options.afterRun ?? []).map((step) => step.uniqueId),
    carried: options.retryOf?.carried,
    factsOf: (id) => resultFactsOf(manifest, id),
    invocationId: options.invocationId,
    days: options.days,
  });
  await runResults.begin();
  // The caller holds the run lock, so whatever helper tables exist now are a crashed run's.
  await cleanUpLeftoverHelpers(warehouse, manifest, warehouse.dialect, { signal: options.signal });

  const existing = await existingRelations(warehouse);
  const facts = options.deferTo
    ? { ...options.facts, relationOverrides: deferredRelations(manifest, options.deferTo, new Set(order), existing) }
    : options.facts;
  const context: ExecutionContext = {
    project: options.project,
    renderer: compiled,
    manifest,
    warehouse,
    s3: options.s3,
    sourcePoolFor: options.sourcePoolFor,
    interval: options.interval,
    facts,
    fullRefresh: invocation.fullRefresh,
    existing,
    progress: ExtractProgress.forProcess(),
    sourceDays: options.sourceDays,
    auditsOf: plan.auditsOf,
    viewsBefore: await readViewDefinitions(warehouse, scheduledViews(manifest, order), { signal: options.signal }),
    governance: options.governance,
    acceptDeletes: options.acceptDeletes,
    signal: options.signal,
  };
  // Schemas first, one by one: concurrent CREATE SCHEMA IF NOT EXISTS can collide.
  for (const schema of plan.schemas) await warehouse.execute(`create schema if not exists ${quoteIdent(schema)}`, [], { signal: options.signal });
  // on-run-start after the schemas, as dbt runs it; one that fails stops the run before any node.
  const hooks: RunHooksContext = { renderer: compiled, manifest, warehouse, facts, signal: options.signal };
  const startHooks = await runHooks('on-run-start', hooks);
  if (startHooks.failure) {
    context.progress.stop();
    await runResults.end(startHooks.results);
    throw startHooks.failure;
  }
  const executeNode = async (id: string): Promise<NodeOutcome> => {
    const node = getNode(manifest, id);
    if (!node) throw new ConfigError(`${id}: not in the manifest`);
    const executor = EXECUTORS[node.resource_type] as NodeExecutor<AnyNode>;
    return executor(node, context);
  };

  let finished = 0;
  logger.info(`running ${order.length} node(s) with ${invocation.threads} thread(s) on target ${options.targetName}`);
  const results = await scheduleGraph({
    order,
    parentsOf: (id) => plan.parentsOf[id] ?? [],
    threads: invocation.threads,
    failFast: invocation.failFast,
    signal: options.signal,
    execute: executeNode,
    onStart: (id) => {
      logger.debug(`START ${describeNode(id)}`);
      runResults.nodeStarted(id);
    },
    onFinish: (result) => {
      reportFinish(result, ++finished, order.length);
      runResults.nodeFinished(result);
    },
  });
  const afterRunContext: AfterRunContext = {
    command: options.retryOf?.command ?? options.command,
    manifest,
    warehouse,
    interval: options.interval,
    targetDir: options.targetDir,
    results: [...(options.retryOf?.carried ?? []), ...results],
    signal: options.signal,
  };
  for (const step of options.afterRun ?? []) {
    if (!step.appliesTo(afterRunContext)) continue;
    const failure = await runAfterRunStep(step, afterRunContext);
    if (failure) results.push(failure);
  }
  // on-run-end last, whatever failed before it, so it sees every result (dbt's `results`).
  const ended = await runHooks('on-run-end', hooks, afterRunContext.results);
  results.unshift(...startHooks.results);
  results.push(...ended.results);
  context.progress.stop();
  const elapsed = (Date.now() - started) / 1000;
  const runResultsPath = await runResults.end(results);
  return { results, tally: reportSummary(results, elapsed), runResultsPath };
}

/** A failing step is a result of its own, so the run exits non-zero without hiding what was built. */
async function runAfterRunStep(step: AfterRunStep, context: AfterRunContext): Promise<NodeResult | undefined> {
  const startedAt = new Date();
  try {
    await step.run(context);
    return undefined;
  } catch (error) {
    const completedAt = new Date();
    const message = error instanceof Error ? error.message : String(error);
    logger.error(`${step.label}: ${message}`);
    return {
      uniqueId: step.uniqueId,
      status: 'error',
      message,
      startedAt: startedAt.toISOString(),
      completedAt: completedAt.toISOString(),
      executionTime: (completedAt.getTime() - startedAt.getTime()) / 1000,
    };
  }
}

function scheduledViews(manifest: Manifest, order: readonly string[]): ModelNode[] {
  return order.flatMap((id) => {
    const node = manifest.nodes[id];
    return node?.resource_type === 'model' && node.config.materialized === 'view' ? [node] : [];
  });
}

function resultFactsOf(manifest: Manifest, id: string): ResultNodeFacts | null {
  const node = getNode(manifest, id);
  if (!node) return null;
  return {
    dbtId: dbtUniqueId(node),
    compiledPath: 'compiled_path' in node ? node.compiled_path : null,
    compiledCode: 'compiled_code' in node ? node.compiled_code : null,
    relationName: 'relation_name' in node ? (node.relation_name ?? null) : null,
  };
}

async function existingRelations(warehouse: Warehouse): Promise<Set<string>> {
  const rows = await warehouse.query<{ schema_name: string; relation_name: string }>(LIST_RELATIONS_SQL);
  return new Set(rows.map((row) => relationKey(row.schema_name, row.relation_name)));
}
