// target/sources.json of `pgshift freshness`, dbt's sources v3
// (https://schemas.getdbt.com/dbt/sources/v3.json): one result per checked source, under the id
// target/manifest.json gives it (source.<project>.<source>.<table>).

import { dbtUniqueId, type Manifest } from '../manifest/index.js';
import type { FreshnessResult } from './source-freshness.js';
import { DBT_VERSION } from '../manifest/dbt-version.js';

export const DBT_SOURCES_SCHEMA = 'https://schemas.getdbt.com/dbt/sources/v3.json';

type Json = Record<string, unknown>;

export function toDbtSources(
  manifest: Manifest,
  results: readonly FreshnessResult[],
  snapshottedAt: Date,
  elapsedSeconds: number,
  invocationId: string | null = null,
): Json {
  return {
    metadata: {
      dbt_schema_version: DBT_SOURCES_SCHEMA,
      dbt_version: DBT_VERSION,
      generated_at: snapshottedAt.toISOString(),
      invocation_id: invocationId,
      env: {},
    },
    results: results.map((result, index) => resultEntry(manifest, result, snapshottedAt, index)),
    elapsed_time: elapsedSeconds,
  };
}

function resultEntry(manifest: Manifest, result: FreshnessResult, snapshottedAt: Date, index: number): Json {
  const source = manifest.sources[result.uniqueId];
  const uniqueId = source ? dbtUniqueId(source) : result.uniqueId;
  // v3 has one shape for a source that answered (max_loaded_at is a timestamp) and one for a
  // check that could not (SourceFreshnessRuntimeError): an empty table has no max_loaded_at, so
  // it is written as the second, with the reason.
  if (result.maxLoadedAt === null || result.ageSeconds === null) return { unique_id: uniqueId, error: result.message, status: 'runtime error' };
  return {
    unique_id: uniqueId,
    max_loaded_at: result.maxLoadedAt,
    snapshotted_at: snapshottedAt.toISOString(),
    max_loaded_at_time_ago_in_s: result.ageSeconds,
    status: result.status,
    criteria: {
      warn_after: source?.freshness?.warn_after ?? null,
      error_after: source?.freshness?.error_after ?? null,
      filter: source?.freshness?.filter ?? null,
    },
    adapter_response: { _message: result.message },
    timing: [
      { name: 'compile', started_at: result.startedAt, completed_at: result.startedAt },
      { name: 'execute', started_at: result.startedAt, completed_at: result.completedAt },
    ],
    // The checks run at once, one connection each.
    thread_id: `Thread-${index + 1}`,
    execution_time: (Date.parse(result.completedAt) - Date.parse(result.startedAt)) / 1000,
  };
}
