// What every node executor is handed: the project, the compiled project (to re-render a model
// with run-time facts), the warehouse and the connections, and the relations known to exist.

import type { S3Client } from '@aws-sdk/client-s3';
import type pg from 'pg';
import type { DayStep } from '../../batch/day-plan.js';
import type { Interval } from '../../batch/interval.js';
import type { Project, SourceTable } from '../../config/project.js';
import type { ExtractProgress } from '../../extract/extract-progress.js';
import type { AnyNode, Manifest, NodeRenderer, ResourceType, RunTimeFacts } from '../../manifest/index.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import type { NodeOutcome } from '../node-status.js';
import type { RunGovernance } from '../run-governance.js';

export interface ExecutionContext {
  readonly project: Project;
  readonly renderer: NodeRenderer;
  /** The compiled graph: where a test's tested node lives, to explain a failure. */
  readonly manifest: Manifest;
  readonly warehouse: Warehouse;
  readonly s3: () => S3Client;
  readonly sourcePoolFor: (table: SourceTable) => pg.Pool;
  readonly interval: Interval;
  /** The facts models are rendered with (vars, interval, run start, --full-refresh). */
  readonly facts: RunTimeFacts;
  readonly fullRefresh: boolean;
  /** relationKey(schema, identifier) of every relation in the warehouse; executors add theirs. */
  readonly existing: Set<string>;
  readonly progress: ExtractProgress;
  /** The days each source node extracts and loads, one batch a day; absent: `interval`, windowed. */
  readonly sourceDays?: SourceDays;
  /** The run plan's audited tests of each model (RunPlan.auditsOf). */
  readonly auditsOf: Readonly<Record<string, readonly string[]>>;
  /** relationKey → definition of the scheduled view models as the run found them (PostgreSQL). */
  readonly viewsBefore: ReadonlyMap<string, string>;
  /** Publish-time grants and governance holds; absent when the project declares no governance. */
  readonly governance?: RunGovernance;
  /** Table ids (or `all`) whose detected deletes this run applies beyond max_delete_ratio (--accept-deletes). */
  readonly acceptDeletes?: ReadonlySet<string>;
  readonly signal?: AbortSignal;
}

export interface SourceDays {
  /** Oldest first; a table is extracted on the days whose `tables` hold it. */
  readonly steps: readonly DayStep[];
  /** Go on with a table's next day after one fails (the node still fails). */
  readonly continueAfterFailedDay?: boolean;
  /** Told as each table's day ends. */
  readonly onDay?: (label: string, table: string, failed: boolean) => void;
}

/** Runs one node of one resource type. */
export type NodeExecutor<N extends AnyNode> = (node: N, context: ExecutionContext) => Promise<NodeOutcome>;

export type Executors = { readonly [K in ResourceType]: NodeExecutor<Extract<AnyNode, { resource_type: K }>> };
