// target/run_results.json: every node's status, timing, rows, compiled SQL path and error,
// plus the invocation (flags, vars, interval) that `pgshift retry` repeats.

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { maskSecrets, redact } from '../log/redact.js';
import type { NodeResult } from './node-status.js';

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
}

export interface RunResultsFile {
  readonly metadata: { readonly pgshift_schema_version: 'pgshift/run-results/v1'; readonly generated_at: string; readonly invocation: Invocation };
  readonly elapsed_time: number;
  readonly results: readonly {
    readonly unique_id: string;
    readonly status: string;
    readonly timing: readonly { name: 'execute'; started_at: string; completed_at: string }[];
    readonly execution_time: number;
    readonly rows_affected: number | null;
    readonly failures: number | null;
    readonly compiled_path: string | null;
    readonly message: string | null;
  }[];
}

export async function writeRunResults(targetDir: string, invocation: Invocation, results: readonly NodeResult[], elapsed: number, compiledPathOf: (id: string) => string | null): Promise<string> {
  const file: RunResultsFile = {
    metadata: { pgshift_schema_version: 'pgshift/run-results/v1', generated_at: new Date().toISOString(), invocation },
    elapsed_time: elapsed,
    results: results.map((result) => ({
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
    })),
  };
  await mkdir(targetDir, { recursive: true });
  const target = path.join(targetDir, 'run_results.json');
  await writeFile(target, maskSecrets(JSON.stringify(file, null, 2)));
  return target;
}

export async function readRunResults(targetDir: string): Promise<RunResultsFile | undefined> {
  try {
    return JSON.parse(await readFile(path.join(targetDir, 'run_results.json'), 'utf8')) as RunResultsFile;
  } catch {
    return undefined;
  }
}
