// target/run_results.json: every node's status, timing, rows, compiled SQL path and error,
// plus the invocation (flags, vars, interval) that `pgshift retry` repeats. The file is
// rewritten as the run goes (see run-results-writer.ts), so a run killed halfway leaves one
// that says what finished and what did not.

import type { Reconciliation } from '../load/reconciliation.js';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { parseJsonDocument } from '../config/json-document.js';
import { ConfigError } from '../errors.js';
import { maskSecrets, redact } from '../log/redact.js';
import type { NodeResult } from './node-status.js';
import type { RunDays } from './run-days.js';

export interface Invocation {
  readonly command: string;
  readonly target: string;
  readonly select: readonly string[];
  readonly exclude: readonly string[];
  readonly selector?: string;
  readonly vars: Readonly<Record<string, unknown>>;
  readonly fullRefresh: boolean;
  readonly interval: { readonly start: string; readonly end: string };
  readonly threads: number;
  readonly failFast: boolean;
  /** For `retry`: the command of the run it completes (`run`, `build`, …), kept across retries. */
  readonly retryOf?: string;
}

/** A planned node that has not finished yet: `pending` before it starts, `running` after. */
export type UnfinishedStatus = 'pending' | 'running';

export interface RunResultsFile {
  readonly metadata: { readonly pgshift_schema_version: 'pgshift/run-results/v1'; readonly generated_at: string; readonly invocation: Invocation };
  readonly elapsed_time: number;
  /** The days this command processed, oldest first, and any gap it caught up. */
  readonly days?: RunDays;
  readonly results: readonly {
    readonly unique_id: string;
    readonly status: string;
    readonly timing: readonly { name: 'execute'; started_at: string; completed_at: string }[];
    readonly execution_time: number;
    readonly rows_affected: number | null;
    readonly failures: number | null;
    readonly compiled_path: string | null;
    readonly message: string | null;
    /** Source nodes: the table's counts for the interval, source to raw. */
    readonly reconciliation?: {
      readonly source_rows: number | null;
      readonly batch_rows: number;
      readonly loaded_rows: number | null;
      readonly tombstones: number;
      readonly source_keys?: number;
      readonly live_keys?: number | null;
      readonly returned_keys?: number;
    };
  }[];
}

export type RecordedResult = NodeResult | { readonly uniqueId: string; readonly status: UnfinishedStatus; readonly startedAt?: string };

export async function writeRunResults(
  targetDir: string,
  invocation: Invocation,
  results: readonly RecordedResult[],
  elapsed: number,
  compiledPathOf: (id: string) => string | null,
  days?: RunDays,
): Promise<string> {
  const file: RunResultsFile = {
    metadata: { pgshift_schema_version: 'pgshift/run-results/v1', generated_at: new Date().toISOString(), invocation },
    elapsed_time: elapsed,
    ...(days ? { days } : {}),
    results: results.map((result) => (isUnfinished(result) ? unfinishedEntry(result, compiledPathOf) : finishedEntry(result, compiledPathOf))),
  };
  await mkdir(targetDir, { recursive: true });
  const target = path.join(targetDir, 'run_results.json');
  // Temp file then rename (atomic within one file system): a reader, or a run killed while
  // writing, never sees half a file.
  const temporary = `${target}.${process.pid}.tmp`;
  await writeFile(temporary, maskSecrets(JSON.stringify(file, null, 2)));
  await rename(temporary, target);
  return target;
}

function isUnfinished(result: RecordedResult): result is Extract<RecordedResult, { status: UnfinishedStatus }> {
  return result.status === 'pending' || result.status === 'running';
}

function unfinishedEntry(
  result: { uniqueId: string; status: UnfinishedStatus; startedAt?: string },
  compiledPathOf: (id: string) => string | null,
): RunResultsFile['results'][number] {
  return {
    unique_id: result.uniqueId,
    status: result.status,
    timing: result.startedAt ? [{ name: 'execute', started_at: result.startedAt, completed_at: '' }] : [],
    execution_time: 0,
    rows_affected: null,
    failures: null,
    compiled_path: compiledPathOf(result.uniqueId),
    message: null,
  };
}

function finishedEntry(result: NodeResult, compiledPathOf: (id: string) => string | null): RunResultsFile['results'][number] {
  return {
    unique_id: result.uniqueId,
    status: result.status,
    timing: [{ name: 'execute', started_at: result.startedAt, completed_at: result.completedAt }],
    execution_time: result.executionTime,
    rows_affected: result.rowsAffected ?? null,
    failures: result.failures ?? null,
    compiled_path: compiledPathOf(result.uniqueId),
    // A message is an error text, redacted as errors are; the rest (vars, flags) stays as
    // given, so that `pgshift retry` repeats the same invocation.
    message: result.message === undefined ? null : redact(result.message),
    ...(result.reconciliation ? { reconciliation: reconciliationEntry(result.reconciliation) } : {}),
  };
}

function reconciliationEntry(counts: Reconciliation): NonNullable<RunResultsFile['results'][number]['reconciliation']> {
  return {
    source_rows: counts.sourceRows ?? null,
    batch_rows: counts.batchRows,
    loaded_rows: counts.loadedRows ?? null,
    tombstones: counts.tombstones,
    ...(counts.sourceKeys !== undefined ? { source_keys: counts.sourceKeys, live_keys: counts.liveKeys ?? null } : {}),
    ...(counts.returnedKeys !== undefined ? { returned_keys: counts.returnedKeys } : {}),
  };
}

// What retry and result: selectors read back; other keys may come and go between versions.
const runResultsSchema = z.looseObject({
  metadata: z.looseObject({
    invocation: z.looseObject({
      command: z.string(),
      target: z.string(),
      select: z.array(z.string()),
      exclude: z.array(z.string()),
      selector: z.string().optional(),
      vars: z.record(z.string(), z.unknown()),
      fullRefresh: z.boolean(),
      interval: z.looseObject({ start: z.string(), end: z.string() }),
      threads: z.number(),
      failFast: z.boolean(),
      retryOf: z.string().optional(),
    }),
  }),
  results: z.array(z.looseObject({ unique_id: z.string(), status: z.string() })),
});

/**
 * The run_results.json in targetDir; undefined when there is none. A file that is there but
 * truncated or not pgshift's is a ConfigError naming it, not "missing".
 */
export async function readRunResults(targetDir: string): Promise<RunResultsFile | undefined> {
  const file = path.join(targetDir, 'run_results.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`${file}: cannot read it (${(error as Error).message})`, { file }, { cause: error });
  }
  const parsed = parseJsonDocument(text, runResultsSchema);
  if (!parsed.ok)
    throw new ConfigError(`${file}: ${parsed.problem}; it is not a run_results.json pgshift can read, so run pgshift run or build again to write a new one`, {
      file,
    });
  // The schema checks what readers use; the file is the one writeRunResults wrote.
  return parsed.value as unknown as RunResultsFile;
}
