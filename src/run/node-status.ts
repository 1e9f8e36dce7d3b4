// What happened to one node of a run, in dbt's vocabulary, and what that means downstream.

import type { Reconciliation } from '../load/reconciliation.js';

export type NodeStatus = 'success' | 'error' | 'skipped' | 'pass' | 'fail' | 'warn';

export interface NodeOutcome {
  readonly status: NodeStatus;
  readonly message?: string;
  readonly rowsAffected?: number;
  /** Failing rows of a data test. */
  readonly failures?: number;
  /** A source node's counts, source to raw. */
  readonly reconciliation?: Reconciliation;
  /**
   * Outcomes of other scheduled nodes this node decided while it ran: a model's audited tests,
   * already run against its new version. The scheduler records them instead of running them.
   */
  readonly settles?: readonly SettledNode[];
}

export interface SettledNode {
  readonly uniqueId: string;
  readonly outcome: NodeOutcome;
}

export interface NodeResult extends Omit<NodeOutcome, 'settles'> {
  readonly uniqueId: string;
  readonly startedAt: string;
  readonly completedAt: string;
  readonly executionTime: number;
}

/** Children may run after these; after error, fail or skipped they are skipped. */
export function letsChildrenRun(status: NodeStatus): boolean {
  return status === 'success' || status === 'pass' || status === 'warn';
}
