// The one entry the runner calls for a model: creates its schema, then builds it as its
// `materialized` config says, and reports the rows written and every statement sent.

import type { ModelNode } from '../../manifest/manifest.js';
import { CancelledError, errorMessage, PgshiftError } from '../../errors.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { buildTarget, createSchemaStep } from './build-target.js';
import { buildIncremental } from './incremental.js';
import { MaterializationError } from './materialization-error.js';
import { runSteps } from './plan-step.js';
import { type AuditVerdict, type BuildOutcome, PUBLISH_WITHOUT_AUDIT, type Publication } from './publication.js';
import { buildTable } from './table.js';
import { buildView } from './view.js';

export interface MaterializeOptions {
  /** --full-refresh: rebuild incremental models from scratch (unless their config says `full_refresh: false`). */
  readonly fullRefresh: boolean;
  /** The model's audit and publish-time grants; default: publish unaudited, without grants. */
  readonly publication?: Publication;
  readonly signal?: AbortSignal;
}

export interface MaterializeResult {
  /** Rows written (CTAS, INSERT, MERGE); 0 for views; -1 when the warehouse did not say. */
  readonly rowsAffected: number;
  /** Every statement sent, in order, for logs and run_results. */
  readonly statements: string[];
  /** False when the audit failed: readers still see the previous version (or nothing). */
  readonly published: boolean;
  readonly audit?: AuditVerdict;
  /** When not published: what readers see instead (BuildOutcome.previous). */
  readonly previous?: BuildOutcome['previous'];
}

/**
 * Builds `node` from `sql`, its compiled select (rendered by the runner with is_incremental()
 * already decided). Ephemeral models build nothing: the compiler inlines them as CTEs.
 */
export async function materialize(warehouse: Warehouse, node: ModelNode, sql: string, options: MaterializeOptions): Promise<MaterializeResult> {
  const statements: string[] = [];
  if (node.config.materialized === 'ephemeral') return { rowsAffected: 0, statements, published: true };
  const publication = options.publication ?? PUBLISH_WITHOUT_AUDIT;
  const target = buildTarget(warehouse.dialect, node, sql);
  const statementOptions = { signal: options.signal };
  try {
    await runSteps(warehouse, [createSchemaStep(target.schema)], statements, statementOptions);
    let outcome: BuildOutcome;
    switch (node.config.materialized) {
      case 'view':
        outcome = await buildView(warehouse, target, publication, statements, statementOptions);
        break;
      case 'table':
        outcome = await buildTable(warehouse, target, publication, statements, statementOptions);
        break;
      case 'incremental':
        // dbt's full_refresh config: false protects a model from --full-refresh, true always rebuilds it.
        outcome = await buildIncremental(warehouse, target, node.config.full_refresh ?? options.fullRefresh, publication, statements, statementOptions);
        break;
    }
    return { rowsAffected: outcome.rows, statements, published: outcome.published, audit: outcome.audit, previous: outcome.previous };
  } catch (error) {
    throw withModelContext(error, node);
  }
}

/** Warehouse failures get the model's name in front; config, schema and cancel errors pass as they are. */
function withModelContext(error: unknown, node: ModelNode): unknown {
  if (error instanceof CancelledError) return error;
  if (error instanceof PgshiftError && error.code !== 'WAREHOUSE_FAILED') return error;
  return new MaterializationError(
    `${node.unique_id}: building ${node.schema}.${node.alias} as ${node.config.materialized} failed: ${errorMessage(error)}`,
    {
      model: node.unique_id,
      relation: `${node.schema}.${node.alias}`,
      file: node.original_file_path,
      statementId: error instanceof PgshiftError ? error.context.statementId : undefined,
    },
    { cause: error },
  );
}
