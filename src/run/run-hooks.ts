// dbt's on-run-start and on-run-end hooks: each rendered when its turn comes (execute is true,
// run_query() and macros work), its SQL run in the warehouse, its outcome a result of its own
// (`operation.<project>.<project>-on-run-start-0`, as dbt names it in run_results.json).
// on-run-end also sees the run's `results`, `schemas` and `database_schemas`
// (https://docs.getdbt.com/reference/dbt-jinja-functions/on-run-end-context).

import { WarehouseError } from '../errors.js';
import { logger } from '../log/logger.js';
import {
  describeRunHook,
  getNode,
  type Manifest,
  type OperationRenderer,
  type RunHook,
  type RunHookKind,
  type RunTimeFacts,
  renderOperationWithIntrospection,
  runHooksOf,
} from '../manifest/index.js';
import { splitStatements } from '../sql/split-statements.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { introspectionAnswers } from './introspection-answers.js';
import type { NodeResult } from './node-status.js';

export interface RunHooksContext {
  readonly renderer: OperationRenderer;
  readonly manifest: Manifest;
  readonly warehouse: Warehouse;
  readonly facts: RunTimeFacts;
  readonly signal?: AbortSignal;
}

export interface RunHooksOutcome {
  readonly results: NodeResult[];
  /** The first hook that failed, worded `on-run-start hook 2 (dbt_project.yml): <why>`; the rest did not run. */
  readonly failure?: WarehouseError;
}

/** Runs the hooks of `kind` in order and stops at the first failure. */
export async function runHooks(kind: RunHookKind, context: RunHooksContext, nodeResults: readonly NodeResult[] = []): Promise<RunHooksOutcome> {
  const hooks = runHooksOf(context.manifest, kind);
  const results: NodeResult[] = [];
  if (hooks.length === 0) return { results };
  const extra = kind === 'on-run-end' ? await onRunEndContext(context, nodeResults) : {};
  for (const hook of hooks) {
    const startedAt = new Date();
    const finish = (status: 'success' | 'error', message?: string): NodeResult => {
      const completedAt = new Date();
      const result = {
        uniqueId: hook.uniqueId,
        status,
        ...(message === undefined ? {} : { message }),
        startedAt: startedAt.toISOString(),
        completedAt: completedAt.toISOString(),
        executionTime: (completedAt.getTime() - startedAt.getTime()) / 1000,
      };
      results.push(result);
      return result;
    };
    try {
      await runHook(hook, context, extra);
      finish('success');
      logger.info(`OK ${describeRunHook(hook)}`);
    } catch (error) {
      const failure = new WarehouseError(
        `${describeRunHook(hook)}: ${error instanceof Error ? error.message : String(error)}`,
        { hook: hook.uniqueId },
        { cause: error },
      );
      finish('error', failure.message);
      // A failing on-run-start stops the run with this error; on-run-end's is only a result.
      if (kind === 'on-run-end') logger.error(failure.message);
      return { results, failure };
    }
  }
  return { results };
}

async function runHook(hook: RunHook, context: RunHooksContext, extra: Record<string, unknown>): Promise<void> {
  const { warehouse, signal } = context;
  const label = describeRunHook(hook);
  const facts: RunTimeFacts = { ...context.facts, onLog: (message) => logger.info(message) };
  const rendered = await renderOperationWithIntrospection(
    context.renderer,
    { kind: 'hook', uniqueId: hook.uniqueId, label: hook.file, sql: hook.sql, context: extra },
    label,
    facts,
    introspectionAnswers(warehouse, signal),
  );
  // A hook may do its work through run_query() and render nothing, as dbt allows. One that
  // renders several statements runs them in one transaction: the Data API's ExecuteStatement
  // runs one statement, BatchExecuteStatement several as one transaction
  // (https://docs.aws.amazon.com/redshift-data/latest/APIReference/API_BatchExecuteStatement.html).
  const statements = splitStatements(rendered.sql);
  if (statements.length === 1) await warehouse.execute(statements[0]!, [], { signal });
  else if (statements.length > 1)
    await warehouse.transaction(
      statements.map((sql) => ({ sql })),
      { signal },
    );
}

/**
 * dbt's on-run-end names: `results` (one per node: status, message, execution_time, failures,
 * node.unique_id / name / resource_type / schema …), and the schemas it built into.
 */
async function onRunEndContext(context: RunHooksContext, nodeResults: readonly NodeResult[]): Promise<Record<string, unknown>> {
  const nodes = nodeResults.filter((result) => !result.uniqueId.startsWith('operation.'));
  const results = nodes.map((result) => dbtResult(context.manifest, result));
  const built = new Set<string>();
  for (const result of nodes) {
    const node = context.manifest.nodes[result.uniqueId];
    if (result.status !== 'success' || !node) continue;
    if (node.resource_type === 'seed' || node.resource_type === 'snapshot' || (node.resource_type === 'model' && node.config.materialized !== 'ephemeral')) {
      built.add(node.schema);
    }
  }
  const schemas = [...built].sort();
  // CURRENT_DATABASE() answers on both warehouses:
  // https://docs.aws.amazon.com/redshift/latest/dg/r_CURRENT_DATABASE.html
  const rows = await context.warehouse.query<{ database: string }>('select current_database() as database', [], { signal: context.signal });
  const database = rows[0]?.database ?? '';
  return { results, schemas, database_schemas: schemas.map((schema) => [database, schema]) };
}

function dbtResult(manifest: Manifest, result: NodeResult): Record<string, unknown> {
  const node = getNode(manifest, result.uniqueId);
  const relation = node && 'schema' in node ? { schema: node.schema, alias: 'alias' in node ? node.alias : (node as { identifier?: string }).identifier } : {};
  return {
    status: result.status,
    message: result.message ?? null,
    execution_time: result.executionTime,
    failures: result.failures ?? null,
    adapter_response: result.rowsAffected === undefined ? {} : { rows_affected: result.rowsAffected },
    timing: [{ name: 'execute', started_at: result.startedAt, completed_at: result.completedAt }],
    thread_id: null,
    node: {
      unique_id: result.uniqueId,
      name: node?.name ?? result.uniqueId.split('.').pop(),
      resource_type: node?.resource_type ?? result.uniqueId.split('.')[0],
      package_name: manifest.metadata.project_name,
      ...relation,
    },
  };
}
