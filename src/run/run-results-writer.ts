// run_results.json kept up to date while a run goes: every planned node is in the file from
// the start (`pending`), marked `running` when it starts and replaced by its result when it
// ends, so a run killed at any point leaves a file `pgshift retry` can finish from.

import type { NodeResult } from './node-status.js';
import type { RunDays } from './run-days.js';
import { writeRunResults, type Invocation, type RecordedResult, type ResultNodeFacts } from './run-results.js';

export interface RunResultsWriterOptions {
  readonly targetDir: string;
  readonly invocation: Invocation;
  /** The planned nodes, in plan order. */
  readonly planned: readonly string[];
  /**
   * The after-run steps registered for the run (`operation.grants.reconcile`, …): pending until
   * the run ends, so a run killed during its grants leaves a step `pgshift retry` runs again. A
   * step that ends without failing leaves no entry, as before.
   */
  readonly steps?: readonly string[];
  /** Results this run keeps from the run it retries (their nodes are not run again). */
  readonly carried?: readonly NodeResult[];
  /** A node's id, SQL and relation as run_results.json names them; null for an after-run step. */
  readonly factsOf: (id: string) => ResultNodeFacts | null;
  /** The invocation_id of the manifest.json the run wrote, so tools pair the two files. */
  readonly invocationId?: string;
  /** The days the run processes and how each went so far, read at every write. */
  readonly days?: () => RunDays;
}

export class RunResultsWriter {
  private readonly entries = new Map<string, RecordedResult>();
  private readonly extra: NodeResult[] = [];
  private readonly started = Date.now();
  private writing: Promise<void> = Promise.resolve();
  private queued = false;
  private failure: unknown;

  constructor(private readonly options: RunResultsWriterOptions) {
    for (const result of options.carried ?? []) this.entries.set(result.uniqueId, result);
    for (const id of options.planned) this.entries.set(id, { uniqueId: id, status: 'pending' });
    for (const id of options.steps ?? []) this.entries.set(id, { uniqueId: id, status: 'pending' });
  }

  /** Writes the file with every planned node pending; call before the first node starts. */
  async begin(): Promise<void> {
    this.schedule();
    await this.writing;
    this.throwIfFailed();
  }

  nodeStarted(id: string): void {
    this.entries.set(id, { uniqueId: id, status: 'running', startedAt: new Date().toISOString() });
    this.schedule();
  }

  nodeFinished(result: NodeResult): void {
    if (this.entries.has(result.uniqueId)) this.entries.set(result.uniqueId, result);
    else this.extra.push(result);
    this.schedule();
  }

  /** The final file: all results (an after-run step's failure included), then the path. */
  async end(results: readonly NodeResult[]): Promise<string> {
    for (const result of results) this.nodeFinished(result);
    // Steps still pending here ran without failing, or did not apply to this run.
    for (const id of this.options.steps ?? []) if (this.entries.get(id)?.status === 'pending') this.entries.delete(id);
    await this.writing;
    this.throwIfFailed();
    return this.write();
  }

  // Writes are serialised and coalesced: while one is on disk, later changes wait for one
  // more write that carries them all.
  private schedule(): void {
    if (this.queued) return;
    this.queued = true;
    this.writing = this.writing.then(async () => {
      this.queued = false;
      try {
        await this.write();
      } catch (error) {
        this.failure ??= error;
      }
    });
  }

  private write(): Promise<string> {
    const { targetDir, invocation, factsOf } = this.options;
    const results = [...this.entries.values(), ...this.extra];
    return writeRunResults(
      targetDir,
      invocation,
      results,
      (Date.now() - this.started) / 1000,
      factsOf,
      this.options.days?.(),
      this.options.invocationId ?? null,
    );
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }
}
