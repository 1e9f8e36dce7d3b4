// One invocation of run / build / seed / test / retry: compile the project, select nodes,
// and execute them through the graph scheduler — sources (extract + load), seeds, models and
// their data tests — writing target/manifest.json, target/compiled/ and run_results.json.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type pg from 'pg';
import { compileProject, getNode, loadProjectFiles, relationKey, renderModel, writeCompileArtifacts, type AnyNode, type Manifest, type ModelNode, type SeedNode, type TestNode } from '../compile/index.js';
import type { Project, SourceTable } from '../config/project.js';
import type { Target } from '../config/target.js';
import { ConfigError } from '../errors.js';
import type { Interval } from '../extract/interval.js';
import { selectNodes, type RunResults } from '../graph/index.js';
import { logger } from '../log/logger.js';
import { quoteIdent } from '../sql/quote-ident.js';
import { LIST_RELATIONS_SQL } from '../warehouse/catalog-queries.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { scheduleGraph } from './graph-scheduler.js';
import { loadSeed, materialize, runDataTest } from './materializations/index.js';
import type { NodeOutcome, NodeResult } from './node-status.js';
import { writeRunResults, type Invocation } from './run-results.js';
import { describeNode, reportFinish, reportSummary, type Tally } from './run-summary.js';
import { syncTable } from './sync-sources.js';
import { REPORT_TABLE_LIST } from '../report/report-tables.js';
import { ExtractProgress } from '../extract/extract-progress.js';

export type RunCommand = 'run' | 'build' | 'seed' | 'test' | 'retry';

const RESOURCE_TYPES: Record<Exclude<RunCommand, 'retry'>, AnyNode['resource_type'][]> = {
  run: ['source', 'seed', 'model', 'test'],
  build: ['seed', 'model', 'test'],
  seed: ['seed'],
  test: ['test'],
};

export interface RunProjectOptions {
  readonly command: RunCommand;
  readonly project: Project;
  readonly target: Target;
  readonly warehouse: Warehouse;
  readonly s3: () => S3Client;
  readonly sourcePoolFor: (table: SourceTable) => pg.Pool;
  readonly invocation: Invocation;
  readonly interval: Interval;
  readonly targetDir: string;
  /** For `retry`: the nodes to run again; for `--state`/`result:` selectors. */
  readonly previousResults?: RunResults;
  readonly state?: Manifest;
  readonly onlyIds?: readonly string[];
  readonly signal?: AbortSignal;
}

export interface RunProjectResult {
  readonly results: NodeResult[];
  readonly tally: Tally;
  readonly runResultsPath: string;
}

export async function runProject(options: RunProjectOptions): Promise<RunProjectResult> {
  const started = Date.now();
  const { project, warehouse, invocation } = options;
  const runStartedAt = new Date().toISOString();
  const files = await loadProjectFiles(project);
  const compileContext = {
    target: { name: options.target.name, type: options.target.type, schema: options.target.schema },
    vars: invocation.vars,
    env: process.env,
    interval: { start: options.interval.start.toISOString(), end: options.interval.end.toISOString() },
    runStartedAt,
    fullRefresh: invocation.fullRefresh,
  };
  const manifest = compileProject(files, compileContext);
  for (const warning of manifest.warnings) logger.warn(warning);
  await writeCompileArtifacts(manifest, options.targetDir);

  const selection = options.onlyIds
    ? { selected: manifest.topological_order.filter((id) => options.onlyIds!.includes(id)), warnings: [] }
    : selectNodes(manifest, {
        select: invocation.select,
        exclude: invocation.exclude,
        selector: invocation.selector,
        state: options.state,
        previousResults: options.previousResults,
        resourceTypes: RESOURCE_TYPES[options.command === 'retry' ? 'run' : options.command],
      });
  for (const warning of selection.warnings) logger.warn(warning);
  // Ephemeral models have no relation: the compiler inlined them into their children.
  const order = selection.selected.filter((id) => !(manifest.nodes[id]?.resource_type === 'model' && (manifest.nodes[id] as ModelNode).config.materialized === 'ephemeral'));
  const parentsOf = effectiveParents(manifest, new Set(order));

  const existing = await existingRelations(warehouse);
  const progress = ExtractProgress.forProcess();
  // Schemas first, one by one: concurrent CREATE SCHEMA IF NOT EXISTS can collide.
  const schemas = new Set(order.flatMap((id) => {
    const node = manifest.nodes[id];
    return node && (node.resource_type === 'model' || node.resource_type === 'seed') ? [node.schema] : [];
  }));
  for (const schema of schemas) await warehouse.execute(`create schema if not exists ${quoteIdent(schema)}`, [], { signal: options.signal });
  const executeNode = async (id: string): Promise<NodeOutcome> => {
    const node = getNode(manifest, id);
    if (!node) throw new ConfigError(`${id}: not in the manifest`);
    switch (node.resource_type) {
      case 'source': {
        const table = project.tables.find((candidate) => candidate.id === node.table_id);
        if (!table) throw new ConfigError(`${id}: no table ${node.table_id} in pgshift.yml`);
        const { load } = await syncTable(table, { project, interval: options.interval, sourcePoolFor: options.sourcePoolFor, s3: options.s3(), warehouse, progress, signal: options.signal });
        existing.add(relationKey(project.rawSchema, table.name));
        return { status: 'success', rowsAffected: load.rows };
      }
      case 'seed': {
        const seed = node as SeedNode;
        const csv = await readFile(path.join(project.rootDir, seed.original_file_path), 'utf8');
        const result = await loadSeed(warehouse, seed, csv);
        existing.add(relationKey(seed.schema, seed.alias));
        return { status: 'success', rowsAffected: result.rowsAffected };
      }
      case 'model': {
        const model = node as ModelNode;
        const rendered = renderModel(manifest, id, { ...compileContext, relationExists: (schema, identifier) => existing.has(relationKey(schema, identifier)) });
        for (const hook of rendered.pre_hook) await warehouse.execute(hook, [], { signal: options.signal });
        const result = await materialize(warehouse, model, rendered.compiled_code, { fullRefresh: invocation.fullRefresh, signal: options.signal });
        for (const hook of rendered.post_hook) await warehouse.execute(hook, [], { signal: options.signal });
        existing.add(relationKey(model.schema, model.alias));
        return { status: 'success', rowsAffected: result.rowsAffected };
      }
      case 'test': {
        const result = await runDataTest(warehouse, node as TestNode);
        return { status: result.status, failures: result.failures, message: result.status === 'pass' ? undefined : `${result.failures} failing row(s)` };
      }
    }
  };

  let finished = 0;
  logger.info(`running ${order.length} node(s) with ${invocation.threads} thread(s) on target ${options.target.name}`);
  const results = await scheduleGraph({
    order,
    parentsOf,
    threads: invocation.threads,
    failFast: invocation.failFast,
    signal: options.signal,
    execute: executeNode,
    onStart: (id) => logger.debug(`START ${describeNode(id)}`),
    onFinish: (result) => reportFinish(result, ++finished, order.length),
  });
  const governanceError = await reconcileAfterRun(options, manifest, results);
  if (governanceError) results.push(governanceError);
  const reportError = options.command === 'run' ? await reportAfterRun(options, manifest, results) : undefined;
  if (reportError) results.push(reportError);
  progress.stop();
  const elapsed = (Date.now() - started) / 1000;
  const runResultsPath = await writeRunResults(options.targetDir, invocation, results, elapsed, (id) => compiledPathOf(manifest, id));
  return { results, tally: reportSummary(results, elapsed), runResultsPath };
}

/**
 * After the nodes: the warehouse's roles and grants are brought to what pgshift.yml and the
 * models' `grants` declare (only the statements needed). A failure is reported as a result of
 * its own, so the run exits non-zero without hiding what was built.
 */
async function reconcileAfterRun(options: RunProjectOptions, manifest: Manifest, results: readonly NodeResult[]): Promise<NodeResult | undefined> {
  const declaresGrants = Object.values(manifest.nodes).some((node) => node.resource_type === 'model' && Object.keys(node.config.grants).length > 0);
  if (options.project.governance.roles.length === 0 && !declaresGrants) return undefined;
  if (options.command === 'test' || options.signal?.aborted || results.length === 0) return undefined;
  const startedAt = new Date();
  const { grantPolicyForRun, reconcileGrants } = await import('../governance/index.js');
  try {
    const statements = await reconcileGrants(options.warehouse, grantPolicyForRun(options.project, options.target, manifest), { signal: options.signal });
    for (const statement of statements) logger.debug(statement);
    logger.info(`grants reconciled: ${statements.length} statement(s)`, { statements: statements.length });
    return undefined;
  } catch (error) {
    const completedAt = new Date();
    logger.error(`grants: ${error instanceof Error ? error.message : String(error)}`);
    return {
      uniqueId: 'operation.grants.reconcile',
      status: 'error',
      message: error instanceof Error ? error.message : String(error),
      startedAt: startedAt.toISOString(),
      completedAt: completedAt.toISOString(),
      executionTime: (completedAt.getTime() - startedAt.getTime()) / 1000,
    };
  }
}

/**
 * The last step of `pgshift run`: the day's dashboard from the report tables, when the project
 * has them and every node succeeded (a report on half-built tables would mislead).
 */
async function reportAfterRun(options: RunProjectOptions, manifest: Manifest, results: readonly NodeResult[]): Promise<NodeResult | undefined> {
  if (options.signal?.aborted || results.some((result) => result.status === 'error' || result.status === 'fail' || result.status === 'skipped')) return undefined;
  // Only when this run built every report table (the project models them all): a run that
  // selected just sources, say, leaves yesterday's report tables and their report alone.
  const built = new Set(results.map((result) => result.uniqueId));
  const models = Object.values(manifest.nodes).filter((node): node is ModelNode => node.resource_type === 'model');
  const reportModels = REPORT_TABLE_LIST.map((table) => models.find((model) => model.alias === table.name));
  if (reportModels.some((model) => !model || !built.has(model.unique_id))) return undefined;
  const schema = reportModels[0]!.schema;
  const date = new Date(options.interval.end.getTime() - 86_400_000).toISOString().slice(0, 10);
  const startedAt = new Date();
  try {
    const { writeReport } = await import('../report/index.js');
    const report = await writeReport({ warehouse: options.warehouse, schema, date, outDir: path.join(options.targetDir, 'reports', date), signal: options.signal });
    logger.info(`report written: ${report.indexFile}`, { csv_files: report.csvFiles.length });
    return undefined;
  } catch (error) {
    const completedAt = new Date();
    const message = error instanceof Error ? error.message : String(error);
    logger.error(`report: ${message}`);
    return { uniqueId: 'operation.report.write', status: 'error', message, startedAt: startedAt.toISOString(), completedAt: completedAt.toISOString(), executionTime: (completedAt.getTime() - startedAt.getTime()) / 1000 };
  }
}

function compiledPathOf(manifest: Manifest, id: string): string | null {
  const node = manifest.nodes[id];
  return node && 'compiled_path' in node ? node.compiled_path : null;
}

/**
 * Parents as the scheduler sees them: the graph's parents, plus — as in `dbt build` — the
 * data tests of those parents, so a model whose upstream fails an error-severity test is
 * skipped. A test is only added where that cannot make a cycle (a relationships test that
 * also reads the child itself, or one of its descendants, is left out).
 */
function effectiveParents(manifest: Manifest, scheduled: ReadonlySet<string>): (id: string) => string[] {
  const testsOf = new Map<string, string[]>();
  for (const id of scheduled) {
    const node = manifest.nodes[id];
    if (node?.resource_type !== 'test') continue;
    for (const parent of manifest.parent_map[id] ?? []) testsOf.set(parent, [...(testsOf.get(parent) ?? []), id]);
  }
  const descendantsCache = new Map<string, Set<string>>();
  const descendantsOf = (id: string): Set<string> => {
    let found = descendantsCache.get(id);
    if (found) return found;
    found = new Set<string>();
    const stack = [...(manifest.child_map[id] ?? [])];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (found.has(next)) continue;
      found.add(next);
      stack.push(...(manifest.child_map[next] ?? []));
    }
    descendantsCache.set(id, found);
    return found;
  };
  return (id) => {
    const parents = manifest.parent_map[id] ?? [];
    if (manifest.nodes[id]?.resource_type === 'test') return parents;
    const extra = parents.flatMap((parent) =>
      (testsOf.get(parent) ?? []).filter((test) => (manifest.parent_map[test] ?? []).every((testParent) => testParent !== id && !descendantsOf(id).has(testParent))),
    );
    return [...new Set([...parents, ...extra])];
  };
}

async function existingRelations(warehouse: Warehouse): Promise<Set<string>> {
  const rows = await warehouse.query<{ schema_name: string; relation_name: string }>(LIST_RELATIONS_SQL);
  return new Set(rows.map((row) => relationKey(row.schema_name, row.relation_name)));
}
