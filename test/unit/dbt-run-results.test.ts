// target/run_results.json is dbt's run-results v6 and `pgshift freshness`'s target/sources.json is
// dbt's sources v3, so tools built on dbt's artefacts read them. The expectations are the
// `required` lists, enums and types of https://schemas.getdbt.com/dbt/run-results/v6.json and
// https://schemas.getdbt.com/dbt/sources/v3.json (dbt-core schemas/dbt/…), written out here.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Manifest, SourceNode } from '../../src/manifest/index.js';
import type { NodeResult } from '../../src/run/node-status.js';
import { DBT_RUN_RESULTS_SCHEMA, type Invocation, readRunResults, writeRunResults } from '../../src/run/run-results.js';
import { DBT_SOURCES_SCHEMA, toDbtSources } from '../../src/run/sources-json.js';

type Json = Record<string, unknown>;
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

// RunResultOutput.required
const RESULT = [
  'status',
  'timing',
  'thread_id',
  'execution_time',
  'adapter_response',
  'message',
  'failures',
  'unique_id',
  'compiled',
  'compiled_code',
  'relation_name',
];
// RunResultOutput.properties (additionalProperties: false)
const RESULT_KEYS = [...RESULT, 'batch_results'];
// The three status enums of RunResultOutput.status (run, test, freshness).
const STATUSES = ['success', 'error', 'skipped', 'partial success', 'pass', 'fail', 'warn', 'runtime error'];
// BaseArtifactMetadata.properties (additionalProperties: false)
const METADATA_KEYS = ['dbt_schema_version', 'dbt_version', 'generated_at', 'invocation_id', 'env'];

const invocation: Invocation = {
  command: 'build',
  target: 'dev',
  select: ['+daily_sales'],
  exclude: [],
  vars: { day: '2026-11-23' },
  fullRefresh: false,
  interval: { start: '2026-11-23T00:00:00.000Z', end: '2026-11-24T00:00:00.000Z' },
  threads: 2,
  failFast: false,
};
const at = (second: number) => new Date(Date.UTC(2026, 10, 24, 6, 0, second)).toISOString();
const finished = (uniqueId: string, status: NodeResult['status'], from: number, to: number, extra: Partial<NodeResult> = {}): NodeResult => ({
  uniqueId,
  status,
  startedAt: at(from),
  completedAt: at(to),
  executionTime: to - from,
  ...extra,
});
const results = [
  finished('source.shop.orders', 'success', 0, 4, { rowsAffected: 10, reconciliation: { sourceRows: 10, batchRows: 10, loadedRows: 10, tombstones: 0 } }),
  finished('model.shop.stg_orders', 'success', 1, 3, { rowsAffected: 10 }),
  finished('test.shop.not_null_stg_orders_id', 'fail', 4, 5, { failures: 2, message: '2 rows failed' }),
  { uniqueId: 'model.shop.daily_sales', status: 'running' as const, startedAt: at(5) },
  { uniqueId: 'model.shop.report', status: 'pending' as const },
];
const facts = (id: string) =>
  id === 'operation.grants.reconcile'
    ? null
    : {
        dbtId: id.startsWith('source.') ? `source.shop.${id.slice('source.'.length)}` : id,
        compiledPath: id.startsWith('model.') ? `target/compiled/${id.split('.').pop()}.sql` : null,
        compiledCode: id.startsWith('source.') ? null : 'select 1',
        relationName: id.startsWith('test.') ? null : `"analytics"."${id.split('.').pop()}"`,
      };

async function written(): Promise<{ dir: string; file: Json }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pgshift-run-results-'));
  dirs.push(dir);
  const days = { processed: [{ day: '2026-11-23', status: 'success' as const }] } as never;
  await writeRunResults(dir, invocation, results, 5.5, facts, days, 'inv-1');
  return { dir, file: JSON.parse(await readFile(path.join(dir, 'run_results.json'), 'utf8')) as Json };
}

describe('target/run_results.json (dbt run-results v6)', () => {
  it('has metadata, results, elapsed_time and args, and no other key', async () => {
    const { file } = await written();
    expect(Object.keys(file).sort()).toEqual(['args', 'elapsed_time', 'metadata', 'results']);
    const metadata = file.metadata as Json;
    expect(metadata.dbt_schema_version).toBe(DBT_RUN_RESULTS_SCHEMA);
    expect(metadata.invocation_id).toBe('inv-1');
    for (const key of Object.keys(metadata)) expect(METADATA_KEYS).toContain(key);
    expect(file.elapsed_time).toBe(5.5);
    expect(file.args).toMatchObject({
      which: 'build',
      select: ['+daily_sales'],
      full_refresh: false,
      threads: 2,
      fail_fast: false,
      vars: { day: '2026-11-23' },
    });
  });

  it('gives every result the keys v6 requires, of the types it requires, and no other', async () => {
    const { file } = await written();
    for (const result of file.results as Json[]) {
      for (const key of RESULT) expect(result, `${String(result.unique_id)} lacks ${key}`).toHaveProperty(key);
      for (const key of Object.keys(result)) expect(RESULT_KEYS).toContain(key);
      expect(STATUSES).toContain(result.status);
      expect(typeof result.thread_id).toBe('string');
      expect(typeof result.execution_time).toBe('number');
      expect(typeof result.adapter_response).toBe('object');
      expect(result.failures === null || Number.isInteger(result.failures)).toBe(true);
      for (const timing of result.timing as Json[]) expect(Object.keys(timing).sort()).toEqual(['completed_at', 'name', 'started_at']);
    }
  });

  it("uses the manifest's ids, SQL and relations, and the adapter's rows", async () => {
    const { file } = await written();
    const [source, model, test] = file.results as Json[];
    expect(source!.unique_id).toBe('source.shop.shop.orders');
    expect(model).toMatchObject({
      status: 'success',
      compiled: true,
      compiled_code: 'select 1',
      relation_name: '"analytics"."stg_orders"',
      adapter_response: { _message: 'OK 10', code: 'OK', rows_affected: 10 },
      timing: [{ name: 'execute', started_at: at(1), completed_at: at(3) }],
    });
    expect(test).toMatchObject({ status: 'fail', failures: 2, message: '2 rows failed', relation_name: null });
  });

  it('puts nodes that ran at the same time on different threads', async () => {
    const { file } = await written();
    const threads = (file.results as Json[]).map((result) => result.thread_id);
    // orders 0–4 and stg_orders 1–3 overlap; the test starts as orders ends and daily_sales as the
    // test ends, each on the first free thread; the report never started.
    expect(threads).toEqual(['Thread-1', 'Thread-2', 'Thread-1', 'Thread-1', 'main']);
  });

  it('writes a node that has not finished as skipped, which retry runs again', async () => {
    const { file } = await written();
    const [, , , running, pending] = file.results as Json[];
    expect(running).toMatchObject({ status: 'skipped', message: 'running: not finished when this file was written' });
    expect(pending).toMatchObject({ status: 'skipped', message: 'pending: not started when this file was written', timing: [] });
  });

  it("reads back as pgshift wrote it: its ids, states, invocation, days and a source's counts", async () => {
    const { dir } = await written();
    const read = (await readRunResults(dir))!;
    expect(read.metadata.invocation).toEqual(invocation);
    expect(read.days).toEqual({ processed: [{ day: '2026-11-23', status: 'success' }] });
    expect(read.results.map((result) => [result.unique_id, result.status])).toEqual([
      ['source.shop.orders', 'success'],
      ['model.shop.stg_orders', 'success'],
      ['test.shop.not_null_stg_orders_id', 'fail'],
      ['model.shop.daily_sales', 'running'],
      ['model.shop.report', 'pending'],
    ]);
    expect(read.results[0]).toMatchObject({ rows_affected: 10, reconciliation: { source_rows: 10, batch_rows: 10, loaded_rows: 10, tombstones: 0 } });
    expect(read.results[1]!.compiled_path).toBe('target/compiled/stg_orders.sql');
  });
});

describe('target/sources.json (dbt sources v3)', () => {
  const source = {
    unique_id: 'source.shop.orders',
    resource_type: 'source',
    package_name: 'shop_analytics',
    freshness: { warn_after: { count: 12, period: 'hour' }, error_after: { count: 1, period: 'day' }, filter: null },
  } as unknown as SourceNode;
  const manifest = { sources: { [source.unique_id]: source } } as unknown as Manifest;
  const now = new Date('2026-11-24T12:00:00Z');
  const checked = {
    uniqueId: source.unique_id,
    startedAt: '2026-11-24T12:00:00.000Z',
    completedAt: '2026-11-24T12:00:00.250Z',
  };
  // SourceFreshnessOutput.required
  const OUTPUT = [
    'unique_id',
    'max_loaded_at',
    'snapshotted_at',
    'max_loaded_at_time_ago_in_s',
    'status',
    'criteria',
    'adapter_response',
    'timing',
    'thread_id',
    'execution_time',
  ];

  it('writes a checked source with every key v3 requires, under its manifest id', () => {
    const file = toDbtSources(
      manifest,
      [{ ...checked, status: 'warn', maxLoadedAt: '2026-11-23T20:00:00.000Z', ageSeconds: 57600, message: 'newest _pgshift_extracted_at is 16.0 h old' }],
      now,
      0.3,
    );
    expect(Object.keys(file).sort()).toEqual(['elapsed_time', 'metadata', 'results']);
    expect((file.metadata as Json).dbt_schema_version).toBe(DBT_SOURCES_SCHEMA);
    const [result] = file.results as Json[];
    expect(Object.keys(result!).sort()).toEqual([...OUTPUT].sort());
    expect(result).toMatchObject({
      unique_id: 'source.shop_analytics.shop.orders',
      status: 'warn',
      max_loaded_at_time_ago_in_s: 57600,
      snapshotted_at: now.toISOString(),
      criteria: source.freshness,
      execution_time: 0.25,
    });
  });

  it('writes a source it could not check (an error, or no rows) as a runtime error with the reason', () => {
    const file = toDbtSources(
      manifest,
      [{ ...checked, status: 'error', maxLoadedAt: null, ageSeconds: null, message: '"raw"."orders" has no rows' }],
      now,
      0.3,
    );
    // SourceFreshnessRuntimeError: unique_id, error, status (additionalProperties: false).
    expect(file.results).toEqual([{ unique_id: 'source.shop_analytics.shop.orders', error: '"raw"."orders" has no rows', status: 'runtime error' }]);
  });
});
