// The test command itself must fail when a test fails, on the machine's PostgreSQL and on an
// embedded one alike: a suite's exit code is what CI reads.

import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProcess } from '../support/run-cli.js';

const VITEST = path.resolve('node_modules', '.bin', 'vitest');
const CONFIG = path.join('test', 'fixtures', 'harness', 'vitest.config.ts');

interface SuiteRun {
  readonly code: number | null;
  readonly output: string;
}

async function runFixtureSuite(fixture: 'failing' | 'passing', env: Record<string, string>): Promise<SuiteRun> {
  const { code, stdout, stderr } = await runProcess(VITEST, ['run', '--config', CONFIG], {
    env: { ...env, PGSHIFT_HARNESS_FIXTURE: fixture, CI: 'true', NO_COLOR: '1' },
  });
  return { code, output: stdout + stderr };
}

const MODES = {
  'the PostgreSQL server on 127.0.0.1:5432 (or the environment’s)': {},
  'an embedded PostgreSQL': { PGSHIFT_EMBEDDED_POSTGRES: '1' },
} as const;

describe.each(Object.entries(MODES))('a test run on %s', (_mode, modeEnv) => {
  let stateDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    await mkdir(path.resolve('.pgshift'), { recursive: true });
    stateDir = await mkdtemp(path.resolve('.pgshift', 'harness-'));
    // Run as root, the embedded server drops to a `postgres` user that must reach its data dir.
    await chmod(stateDir, 0o755);
    env = { ...modeEnv, PGSHIFT_TEST_STATE_DIR: stateDir };
  });
  afterAll(async () => {
    await rm(stateDir, { recursive: true, force: true });
  });

  it('exits non-zero when a test fails', async () => {
    const run = await runFixtureSuite('failing', env);
    expect(run.output).toMatch(/Tests\s+1 failed/);
    expect(run.code, run.output).toBe(1);
  });

  it('exits 0 when every test passes', async () => {
    const run = await runFixtureSuite('passing', env);
    expect(run.output).toMatch(/Tests\s+1 passed/);
    expect(run.code, run.output).toBe(0);
  });
});
