// Every JSON file pgshift reads back is validated: a truncated run_results.json is "not valid
// JSON", `{}` a named missing key, a foreign --state manifest and a damaged batch.json in S3
// one error naming the file, never "missing" or a TypeError.

import type { S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProject } from '../../src/config/load-project.js';
import { ConfigError, LoadError } from '../../src/errors.js';
import { loadTableBatch } from '../../src/load/load-batch.js';
import { readPreviousState } from '../../src/api/read-state.js';
import { readRunResults } from '../../src/run/run-results.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'pgshift-read-back-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function folderWith(name: string, files: Record<string, string>): Promise<string> {
  const folder = path.join(dir, name);
  await rm(folder, { recursive: true, force: true });
  const { mkdir } = await import('node:fs/promises');
  await mkdir(folder, { recursive: true });
  for (const [file, text] of Object.entries(files)) await writeFile(path.join(folder, file), text);
  return folder;
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('run_results.json', () => {
  it('is undefined only when the file is not there', async () => {
    expect(await readRunResults(await folderWith('none', {}))).toBeUndefined();
  });

  it('is "not valid JSON", naming the file, when truncated', async () => {
    const folder = await folderWith('truncated', { 'run_results.json': '{"metadata": {"invocation": {"comm' });
    const error = await failureOf(readRunResults(folder));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(
      new RegExp(
        `^${path.join(folder, 'run_results.json').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid JSON \\(.+\\); it is not a run_results.json pgshift can read, so run pgshift run or build again to write a new one$`,
      ),
    );
  });

  it('names the first missing key of {}', async () => {
    const folder = await folderWith('empty', { 'run_results.json': '{}' });
    const error = await failureOf(readRunResults(folder));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('run_results.json: metadata is required (expected object)');
  });

  it("says so when an earlier pgshift wrote it, before it followed dbt's run-results v6", async () => {
    const folder = await folderWith('v1', { 'run_results.json': '{"metadata": {"pgshift_schema_version": "pgshift/run-results/v1"}, "results": []}' });
    expect((await failureOf(readRunResults(folder))).message).toBe(
      `${path.join(folder, 'run_results.json')}: written by an earlier pgshift (pgshift/run-results/v1, before dbt's run-results v6); run pgshift run or build again to write a new one`,
    );
  });

  it('is only a warning for selection when it is broken in the target folder', async () => {
    const folder = await folderWith('implicit', { 'run_results.json': '[' });
    expect(await readPreviousState(undefined, folder)).toEqual({});
  });
});

describe('--state manifest.json', () => {
  it("says so when an earlier pgshift wrote it, before it followed dbt's manifest v12", async () => {
    const folder = await folderWith('state-v1', { 'manifest.json': '{"metadata": {"pgshift_schema_version": "pgshift/manifest/v1"}, "nodes": {}}' });
    const error = await failureOf(readPreviousState(folder, dir));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(
      `--state ${folder}: ${path.join(folder, 'manifest.json')} was written by an earlier pgshift (pgshift/manifest/v1, before dbt's manifest v12); compile the previous state again with this pgshift and point --state at its target folder`,
    );
  });

  it('must hold the nodes, sources and macros state: compares', async () => {
    const folder = await folderWith('state', {
      'manifest.json': JSON.stringify({
        metadata: { dbt_schema_version: 'https://schemas.getdbt.com/dbt/manifest/v12.json', project_name: 'shop', generated_at: '2026-01-01T00:00:00Z' },
        nodes: {},
        sources: { 'source.shop.shop.orders': { unique_id: 'source.shop.shop.orders' } },
        macros: {},
      }),
    });
    const error = await failureOf(readPreviousState(folder, dir));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(
      `--state ${folder}: ${path.join(folder, 'manifest.json')}: sources.source.shop.shop.orders.resource_type is required (expected string); point --state at a folder holding a manifest.json written by pgshift compile`,
    );
  });

  it('is "not valid JSON" when truncated', async () => {
    const folder = await folderWith('state-truncated', { 'manifest.json': '{"nodes": {' });
    expect((await failureOf(readPreviousState(folder, dir))).message).toContain('manifest.json: not valid JSON');
  });
});

describe('batch documents in S3', () => {
  const project = parseProject(
    'name: shop\nsources:\n  shop:\n    tables:\n      orders: { primary_key: id, cursor: updated_at }\nstaging: { bucket: b }\ntargets: { dev: { type: postgres } }\n',
    'pgshift.yml',
  );
  const objects = (documents: Record<string, string>): S3Client =>
    ({
      send: async (command: { input: { Key: string } }) => {
        const name = path.basename(command.input.Key);
        if (!(name in documents)) throw Object.assign(new Error('no such key'), { name: 'NoSuchKey' });
        return { Body: { transformToString: async () => documents[name] } };
      },
    }) as unknown as S3Client;
  const load = (documents: Record<string, string>) =>
    loadTableBatch(
      project.tables[0]!,
      { start: new Date('2026-11-23T00:00:00Z'), end: new Date('2026-11-24T00:00:00Z') },
      {
        warehouse: { dialect: 'postgres', transaction: async () => {} } as unknown as Warehouse,
        s3: objects(documents),
        staging: project.staging,
        rawSchema: 'raw',
      },
    );
  // A manifest publishing one attempt folder of the interval's batch, as an extract writes it.
  const attemptPart = 's3://b/pgshift/shop/orders/2026-11-23/20261124T010000000Z-abc123/part-00000.csv.gz';
  const manifest = JSON.stringify({ entries: [{ url: attemptPart, mandatory: true, meta: { content_length: 10 } }] });

  it('refuses a manifest.json that is not one', async () => {
    const error = await failureOf(load({ 'manifest.json': '{"entries": [{"url": 1}]}' }));
    expect(error).toBeInstanceOf(LoadError);
    expect(error.message).toMatch(/^shop\.orders: s3:\/\/b\/.*\/manifest\.json: entries\[0\]\.url must be a string, got number; re-extract the interval/);
  });

  it('refuses a truncated batch.json, naming its key', async () => {
    const error = await failureOf(load({ 'manifest.json': manifest, 'batch.json': '{"format_version": 1, "batch_' }));
    expect(error).toBeInstanceOf(LoadError);
    expect(error.message).toMatch(/^shop\.orders: s3:\/\/b\/.*\/batch\.json: not valid JSON \(.+\); re-extract the interval/);
  });
});
