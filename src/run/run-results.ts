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
import { internalUniqueId } from '../manifest/dbt-unique-id.js';
import { DBT_VERSION } from '../manifest/dbt-version.js';
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
  /** --empty, --store-failures, --defer with its --state: what `retry` must repeat to build the same. */
  readonly empty?: boolean;
  readonly storeFailures?: boolean;
  readonly deferState?: string;
  /** For `retry`: the command of the run it completes (`run`, `build`, …), kept across retries. */
  readonly retryOf?: string;
}

/** A planned node that has not finished yet: `pending` before it starts, `running` after. */
export type UnfinishedStatus = 'pending' | 'running';

/**
 * run_results.json as pgshift reads it back (readRunResults): pgshift's ids, the invocation,
 * and per node the status, timing, rows and counts. On disk it is dbt's run-results v6
 * (DbtRunResults below).
 */
export interface RunResultsFile {
  readonly metadata: { readonly generated_at: string; readonly invocation: Invocation };
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
    readonly reconciliation?: ReconciliationEntry;
  }[];
}

interface ReconciliationEntry {
  readonly source_rows: number | null;
  readonly batch_rows: number;
  readonly loaded_rows: number | null;
  readonly tombstones: number;
  readonly source_keys?: number;
  readonly live_keys?: number | null;
  readonly returned_keys?: number;
}

export const DBT_RUN_RESULTS_SCHEMA = 'https://schemas.getdbt.com/dbt/run-results/v6.json';
/** The dbt release whose artefact schemas pgshift writes (as in manifest.json). */

/** What run_results.json says of a node beyond its result: its id there, its SQL and relation (from the manifest). */
export interface ResultNodeFacts {
  /** The id target/manifest.json gives the node (`source.<project>.<source>.<table>`, a hashed test id). */
  readonly dbtId: string;
  readonly compiledPath: string | null;
  readonly compiledCode: string | null;
  readonly relationName: string | null;
}

/** pgshift's fields of one result, under `adapter_response.pgshift` (a v6 result admits no other key). */
interface ResultExtras {
  /** Set while the node has not finished: the file then says `skipped`, which retry runs again, as dbt's retry does. */
  readonly state?: UnfinishedStatus;
  readonly compiled_path: string | null;
  readonly reconciliation?: ReconciliationEntry;
}

/**
 * target/run_results.json, dbt's run-results v6 (https://schemas.getdbt.com/dbt/run-results/v6.json):
 * every key a result requires; pgshift's own fields under `adapter_response.pgshift` and `args.pgshift`.
 */
export interface DbtRunResults {
  readonly metadata: {
    readonly dbt_schema_version: string;
    readonly dbt_version: string;
    readonly generated_at: string;
    readonly invocation_id: string | null;
    readonly env: Record<string, string>;
  };
  readonly results: readonly DbtRunResult[];
  readonly elapsed_time: number;
  readonly args: Record<string, unknown> & { readonly pgshift: { readonly invocation: Invocation; readonly days?: RunDays } };
}

export interface DbtRunResult {
  readonly status: string;
  readonly timing: readonly { name: string; started_at: string | null; completed_at: string | null }[];
  readonly thread_id: string;
  readonly execution_time: number;
  readonly adapter_response: { readonly _message?: string; readonly code?: string; readonly rows_affected?: number; readonly pgshift: ResultExtras };
  readonly message: string | null;
  readonly failures: number | null;
  readonly unique_id: string;
  readonly compiled: boolean | null;
  readonly compiled_code: string | null;
  readonly relation_name: string | null;
  readonly batch_results: null;
}

export type RecordedResult = NodeResult | { readonly uniqueId: string; readonly status: UnfinishedStatus; readonly startedAt?: string };

export async function writeRunResults(
  targetDir: string,
  invocation: Invocation,
  results: readonly RecordedResult[],
  elapsed: number,
  factsOf: (id: string) => ResultNodeFacts | null,
  days?: RunDays,
  invocationId: string | null = null,
): Promise<string> {
  const threads = threadIds(results);
  const file: DbtRunResults = {
    metadata: {
      dbt_schema_version: DBT_RUN_RESULTS_SCHEMA,
      dbt_version: DBT_VERSION,
      generated_at: new Date().toISOString(),
      invocation_id: invocationId,
      env: {},
    },
    results: results.map((result) => {
      const facts = factsOf(result.uniqueId);
      const thread = threads.get(result) ?? 'main';
      return isUnfinished(result) ? unfinishedEntry(result, facts, thread) : finishedEntry(result, facts, thread);
    }),
    elapsed_time: elapsed,
    args: argsOf(invocation, days),
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

/** dbt's args (its flag names), with what `pgshift retry` repeats, as given, under `pgshift`. */
function argsOf(invocation: Invocation, days: RunDays | undefined): DbtRunResults['args'] {
  return {
    which: invocation.command,
    target: invocation.target,
    select: invocation.select,
    exclude: invocation.exclude,
    ...(invocation.selector ? { selector: invocation.selector } : {}),
    vars: invocation.vars,
    full_refresh: invocation.fullRefresh,
    threads: invocation.threads,
    fail_fast: invocation.failFast,
    pgshift: { invocation, ...(days ? { days } : {}) },
  };
}

/**
 * `Thread-N` for each result that started: the results' execute intervals laid on the fewest
 * threads (each takes the first thread free when it starts), which is how many ran at once.
 */
function threadIds(results: readonly RecordedResult[]): Map<RecordedResult, string> {
  const started = results
    .map((result) => ({ result, start: 'startedAt' in result && result.startedAt ? Date.parse(result.startedAt) : Number.NaN }))
    .filter((entry) => !Number.isNaN(entry.start))
    .sort((a, b) => a.start - b.start);
  const busyUntil: number[] = [];
  const ids = new Map<RecordedResult, string>();
  for (const { result, start } of started) {
    const end = isUnfinished(result) ? Number.POSITIVE_INFINITY : Date.parse(result.completedAt);
    let thread = busyUntil.findIndex((until) => until <= start);
    if (thread < 0) thread = busyUntil.push(end) - 1;
    else busyUntil[thread] = end;
    ids.set(result, `Thread-${thread + 1}`);
  }
  return ids;
}

function isUnfinished(result: RecordedResult): result is Extract<RecordedResult, { status: UnfinishedStatus }> {
  return result.status === 'pending' || result.status === 'running';
}

function unfinishedEntry(
  result: { uniqueId: string; status: UnfinishedStatus; startedAt?: string },
  facts: ResultNodeFacts | null,
  thread: string,
): DbtRunResult {
  return {
    status: 'skipped',
    timing: result.startedAt ? [{ name: 'execute', started_at: result.startedAt, completed_at: null }] : [],
    thread_id: thread,
    execution_time: 0,
    adapter_response: { pgshift: { state: result.status, compiled_path: facts?.compiledPath ?? null } },
    message: result.status === 'pending' ? 'pending: not started when this file was written' : 'running: not finished when this file was written',
    failures: null,
    unique_id: facts?.dbtId ?? result.uniqueId,
    compiled: facts?.compiledCode ? false : null,
    compiled_code: null,
    relation_name: facts?.relationName ?? null,
    batch_results: null,
  };
}

function finishedEntry(result: NodeResult, facts: ResultNodeFacts | null, thread: string): DbtRunResult {
  // A message is an error text, redacted as errors are; the rest (vars, flags) stays as
  // given, so that `pgshift retry` repeats the same invocation.
  const message = result.message === undefined ? null : redact(result.message);
  return {
    status: result.status,
    timing: [{ name: 'execute', started_at: result.startedAt, completed_at: result.completedAt }],
    thread_id: thread,
    execution_time: result.executionTime,
    adapter_response: {
      // dbt's postgres adapter answers with the statement's status line and its rows.
      ...(result.rowsAffected !== undefined ? { _message: `OK ${result.rowsAffected}`, code: 'OK', rows_affected: result.rowsAffected } : {}),
      pgshift: {
        compiled_path: facts?.compiledPath ?? null,
        ...(result.reconciliation ? { reconciliation: reconciliationEntry(result.reconciliation) } : {}),
      },
    },
    message,
    failures: result.failures ?? null,
    unique_id: facts?.dbtId ?? result.uniqueId,
    compiled: facts?.compiledCode ? true : null,
    compiled_code: facts?.compiledCode ?? null,
    relation_name: facts?.relationName ?? null,
    batch_results: null,
  };
}

function reconciliationEntry(counts: Reconciliation): ReconciliationEntry {
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
const invocationSchema = z.looseObject({
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
  empty: z.boolean().optional(),
  storeFailures: z.boolean().optional(),
  deferState: z.string().optional(),
  retryOf: z.string().optional(),
});
const runResultsSchema = z.looseObject({
  metadata: z.looseObject({ dbt_schema_version: z.string(), generated_at: z.string() }),
  results: z.array(
    z.looseObject({
      unique_id: z.string(),
      status: z.string(),
      adapter_response: z.looseObject({ pgshift: z.looseObject({}).optional() }),
    }),
  ),
  args: z.looseObject({ pgshift: z.looseObject({ invocation: invocationSchema }) }),
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
  // The file of a pgshift from before run_results.json followed dbt's schema: said plainly, not as a missing key.
  if (/"pgshift_schema_version"\s*:\s*"pgshift\/run-results\/v1"/.test(text))
    throw new ConfigError(
      `${file}: written by an earlier pgshift (pgshift/run-results/v1, before dbt's run-results v6); run pgshift run or build again to write a new one`,
      { file },
    );
  const parsed = parseJsonDocument(text, runResultsSchema);
  if (!parsed.ok)
    throw new ConfigError(`${file}: ${parsed.problem}; it is not a run_results.json pgshift can read, so run pgshift run or build again to write a new one`, {
      file,
    });
  // The schema checks what readers use; the file is the one writeRunResults wrote.
  return fromDbtRunResults(parsed.value as unknown as DbtRunResults);
}

/** The file on disk back in pgshift's terms: its ids, the unfinished states, the counts. */
function fromDbtRunResults(file: DbtRunResults): RunResultsFile {
  return {
    metadata: { generated_at: file.metadata.generated_at, invocation: file.args.pgshift.invocation },
    elapsed_time: file.elapsed_time,
    ...(file.args.pgshift.days ? { days: file.args.pgshift.days } : {}),
    results: file.results.map((result) => {
      const extras: Partial<ResultExtras> = result.adapter_response.pgshift ?? {};
      const execute = result.timing.find((timing) => timing.name === 'execute');
      return {
        unique_id: internalUniqueId(result.unique_id),
        status: extras.state ?? result.status,
        timing: execute ? [{ name: 'execute' as const, started_at: execute.started_at ?? '', completed_at: execute.completed_at ?? '' }] : [],
        execution_time: result.execution_time,
        rows_affected: result.adapter_response.rows_affected ?? null,
        failures: result.failures,
        compiled_path: extras.compiled_path ?? null,
        message: extras.state ? null : result.message,
        ...(extras.reconciliation ? { reconciliation: extras.reconciliation } : {}),
      };
    }),
  };
}
