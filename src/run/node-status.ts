// What happened to one node of a run, in dbt's vocabulary, and what that means downstream.

export type NodeStatus = 'success' | 'error' | 'skipped' | 'pass' | 'fail' | 'warn';

export interface NodeOutcome {
  readonly status: NodeStatus;
  readonly message?: string;
  readonly rowsAffected?: number;
  /** Failing rows of a data test. */
  readonly failures?: number;
}

export interface NodeResult extends NodeOutcome {
  readonly uniqueId: string;
  readonly startedAt: string;
  readonly completedAt: string;
  readonly executionTime: number;
}

/** Children may run after these; after error, fail or skipped they are skipped. */
export function letsChildrenRun(status: NodeStatus): boolean {
  return status === 'success' || status === 'pass' || status === 'warn';
}
