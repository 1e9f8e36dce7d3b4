// What pgshift leaves in target/: the SQL and the invocation exactly as given, except for
// secrets taken from the environment; error messages in run_results.json are redacted as errors.

import { mkdtemp, readFile, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeCompileArtifacts } from '../../src/project-files/write-artifacts.js';
import { registerSecret } from '../../src/log/redact.js';
import { readRunResults, writeRunResults } from '../../src/run/run-results.js';
import { bareProject, compile } from './compile-fixture.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('writeCompileArtifacts()', () => {
  it("writes `where token = 'abc'` as it is, and masks an environment secret", async () => {
    const secret = 'pii-k3y-from-the-environment';
    registerSecret(secret);
    const files = await bareProject({
      'models/logins.sql': "select * from {{ source('shop', 'orders') }} where token = 'abc' and password='x' and key = '{{ env_var('KEY') }}'",
    });
    const manifest = compile(files, 'postgres', { env: { KEY: secret } });
    const dir = await mkdtemp(path.join(tmpdir(), 'pgshift-artifacts-'));
    dirs.push(dir);
    const { manifestPath } = await writeCompileArtifacts(manifest, dir);
    const compiled = await readFile(path.join(dir, 'compiled', 'logins.sql'), 'utf8');
    expect(compiled).toContain("where token = 'abc' and password='x' and key = '***'");
    const manifestText = await readFile(manifestPath, 'utf8');
    expect(manifestText).toContain("where token = 'abc'");
    expect(manifestText).not.toContain(secret);
  });

  it('writes a new folder in full, then replaces only the files whose SQL changed', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pgshift-artifacts-'));
    dirs.push(dir);
    const project = (orders: string) => bareProject({ 'models/orders.sql': orders, 'models/customers.sql': 'select 1 as id' });
    await writeCompileArtifacts(compile(await project('select 1 as id'), 'postgres'), dir);
    const customers = path.join(dir, 'compiled', 'customers.sql');
    // Dated far back, so that writing it again would show in its modification time.
    const longAgo = new Date('2001-01-01T00:00:00Z');
    await utimes(customers, longAgo, longAgo);

    await writeCompileArtifacts(compile(await project('select 2 as id'), 'postgres'), dir);
    expect(await readFile(path.join(dir, 'compiled', 'orders.sql'), 'utf8')).toBe('select 2 as id\n');
    // The unchanged file is not written again.
    expect((await stat(customers)).mtime).toEqual(longAgo);
    expect(await readFile(customers, 'utf8')).toBe('select 1 as id\n');
  });
});

describe('writeRunResults()', () => {
  it('keeps the vars retry repeats as given, and redacts error messages', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pgshift-results-'));
    dirs.push(dir);
    const invocation = {
      command: 'run',
      target: 'dev',
      select: [],
      exclude: [],
      vars: { token: 'abc', where: "token = 'abc'" },
      fullRefresh: false,
      interval: { start: '2026-11-23T00:00:00.000Z', end: '2026-11-24T00:00:00.000Z' },
      threads: 4,
      failFast: false,
    };
    const result = {
      uniqueId: 'model.shop.a',
      status: 'error' as const,
      message: 'connect postgres://u:hunter2@db/x failed',
      startedAt: '',
      completedAt: '',
      executionTime: 0,
    };
    await writeRunResults(dir, invocation, [result], 1, () => null);
    const read = await readRunResults(dir);
    expect(read?.metadata.invocation.vars).toEqual({ token: 'abc', where: "token = 'abc'" });
    expect(read?.results[0]?.message).toBe('connect postgres://u:***@db/x failed');
  });
});
