// Work that follows the nodes of a run (grants, the report). The runner knows no step by
// name: whoever needs one registers it for the run, and the runner runs them in order.

import type { Interval } from '../batch/interval.js';
import type { Manifest } from '../manifest/index.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import type { NodeResult } from './node-status.js';
import type { RunCommand } from './plan-run.js';

export interface AfterRunContext {
  readonly command: RunCommand;
  readonly manifest: Manifest;
  readonly warehouse: Warehouse;
  readonly interval: Interval;
  readonly targetDir: string;
  /** The results of the nodes, in completion order. */
  readonly results: readonly NodeResult[];
  readonly signal?: AbortSignal;
}

export interface AfterRunStep {
  /** The result id a failure is recorded under, e.g. `operation.grants.reconcile`. */
  readonly uniqueId: string;
  /** What the error line starts with (`grants`, `report`). */
  readonly label: string;
  /** Whether this run calls for the step (a test-only run reconciles no grants). */
  appliesTo(context: AfterRunContext): boolean;
  run(context: AfterRunContext): Promise<void>;
}
