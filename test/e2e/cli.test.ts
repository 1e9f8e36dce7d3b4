import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { createOrdersCliProject, type OrdersCliProject } from '../support/orders-cli-project.js';
import type { TestDatabase } from '../support/test-env.js';

describe('the pgshift command line', () => {
  let fixture: OrdersCliProject;
  let warehouse: TestDatabase;
  let projectDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    fixture = await createOrdersCliProject('cli');
    ({ warehouse, projectDir, env } = fixture);
  });

  afterAll(async () => {
    await fixture?.close();
  });

  it('documents every command with --help', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    // Each command must be an entry of the Commands list, not a word in another's description.
    const commandNames = [...help.stdout.split('Commands:')[1]!.matchAll(/^ {2}([a-z-]+)\b/gm)].map((match) => match[1]);
    expect(commandNames).toEqual(
      expect.arrayContaining(['extract', 'load', 'run', 'build', 'compile', 'ls', 'test', 'seed', 'retry', 'freshness', 'report', 'access']),
    );
    const extractHelp = await runCli(['extract', '--help']);
    expect(extractHelp.stdout).toMatch(/--date <YYYY-MM-DD>[\s\S]*--dry-run/);
  });

  it('extracts and loads a day with `run`, logging JSON lines for orchestrators', async () => {
    const result = await runCli(['--log-format', 'json', 'run', '--date', '2026-11-23'], env);
    expect(result.code).toBe(0);
    const lines = result.stderr
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { msg: string; rows?: number });
    expect(lines.find((line) => line.msg === 'loaded raw.orders')).toMatchObject({ rows: 500 });
    const client = new pg.Client({ connectionString: warehouse.url });
    await client.connect();
    const { rows } = await client.query('select count(*)::int as n from raw.orders');
    await client.end();
    expect(rows[0].n).toBe(500);
  });

  it('prints only JSON lines with --log-format json when a run fails, the AWS SDK notice on old Node versions included', async () => {
    // The variable the SDK reads is removed here: pgshift itself must keep the notice out.
    const result = await runCli(['--log-format', 'json', 'extract', '--date', '2026-11-23'], {
      ...env,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: undefined,
      PGSHIFT_SOURCE_URL: 'postgres://loader:x@127.0.0.1:1/shop',
    });
    expect(result.code).toBe(1);
    const lines = `${result.stdout}\n${result.stderr}`.split('\n').filter((line) => line.trim() !== '');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
  });

  it('fails with one clear line and exit code 1 on a configuration error', async () => {
    const brokenDir = await mkdtemp(path.join(tmpdir(), 'pgshift-broken-'));
    await writeFile(
      path.join(brokenDir, 'pgshift.yml'),
      `name: x\nstaging: { bucket: b }\ntargets: { dev: { type: postgres } }\nsources:\n  shop:\n    tables:\n      orders: { primary_key: id, cursr: updated_at }\n`,
    );
    const result = await runCli(['extract'], { ...env, PGSHIFT_PROJECT_DIR: brokenDir });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(`error: ${path.join(brokenDir, 'pgshift.yml')}: unknown key sources.shop.tables.orders.cursr; did you mean 'cursor'?`);
    await rm(brokenDir, { recursive: true, force: true });
  });

  it('never prints a password, even when the connection fails', async () => {
    const result = await runCli(['extract', '--date', '2026-11-23'], { ...env, PGSHIFT_SOURCE_URL: 'postgres://loader:Sup3rS3cret@127.0.0.1:1/shop' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('shop.orders: extract failed during connect');
    expect(result.stderr).not.toContain('Sup3rS3cret');
  });

  it('keeps the PII key out of compiled SQL and the manifest', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'pgshift-compiled-'));
    const key = 'k3y-that-must-never-be-written';
    const result = await runCli(['--project-dir', path.resolve('.'), 'compile', '--target-path', out], { PGSHIFT_PII_KEY: key, PGSHIFT_PROJECT_DIR: '' });
    expect(result.code, result.stderr).toBe(0);
    const { readdir, readFile } = await import('node:fs/promises');
    const files = (await readdir(out, { recursive: true })).map(String).filter((file) => file.endsWith('.sql') || file.endsWith('.json'));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) expect(await readFile(path.join(out, file), 'utf8')).not.toContain(key);
    await rm(out, { recursive: true, force: true });
  });

  it('refuses a run_results.json it cannot read with one line and exit 1, and calls a truncated one not valid JSON', async () => {
    const { mkdir } = await import('node:fs/promises');
    const targetPath = path.join(projectDir, 'target-retry');
    await mkdir(targetPath, { recursive: true });
    const file = path.join(targetPath, 'run_results.json');
    await writeFile(file, '{}');
    const empty = await runCli(['retry', '--target-path', 'target-retry'], env);
    expect(empty.code).toBe(1);
    expect(empty.stderr.trim().split('\n')).toEqual([
      `error: ${file}: metadata is required (expected object); it is not a run_results.json pgshift can read, so run pgshift run or build again to write a new one`,
    ]);
    await writeFile(file, '{"metadata": {"invoca');
    const truncated = await runCli(['retry', '--target-path', 'target-retry'], env);
    expect(truncated.code).toBe(1);
    expect(truncated.stderr).toContain(`error: ${file}: not valid JSON (`);
  });

  it('checks every connection with `debug`, and exits 1 naming what is missing', async () => {
    const healthy = await runCli(['debug'], env);
    expect(healthy.code, healthy.stdout + healthy.stderr).toBe(0);
    expect(healthy.stdout).toMatch(/^OK {4}source shop +PostgreSQL \d+/m);
    expect(healthy.stdout).toMatch(/^SKIP {2}COPY from staging/m);
    const broken = await runCli(['debug'], { ...env, PGSHIFT_WAREHOUSE_URL: '' });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/^FAIL {2}target +target dev: environment variable PGSHIFT_WAREHOUSE_URL is not set/m);
    expect(broken.stdout).toMatch(/^SKIP {2}warehouse connection/m);
  });

  it('names the flag when a flag is wrong', async () => {
    const result = await runCli(['extract', '--date', '23/11/2026'], env);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('error: --date 23/11/2026: expected YYYY-MM-DD or an ISO timestamp such as 2026-11-23T06:00:00Z');
  });
});
