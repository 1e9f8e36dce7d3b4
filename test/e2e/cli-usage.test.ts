// The command line as a shell user meets it: one-line usage errors with a hint, --version,
// and a pipe closed early (`pgshift ls | head -1`) ending quietly. No database needed.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CliResult, runCli, runProcess } from '../support/run-cli.js';

const REPO = path.resolve('.');
const NO_SECRETS = {
  PGSHIFT_PROJECT_DIR: REPO,
  PGSHIFT_WAREHOUSE_URL: '',
  PGSHIFT_SOURCE_URL: '',
  PGSHIFT_REDSHIFT_SECRET_ARN: '',
  PGSHIFT_PII_KEY: '',
  AWS_ACCESS_KEY_ID: '',
  AWS_SECRET_ACCESS_KEY: '',
};

function shell(script: string): Promise<CliResult> {
  return runProcess('bash', ['-c', script], { cwd: REPO, env: NO_SECRETS });
}

describe('pgshift usage', () => {
  it('reports an unknown option in one line with a suggestion and the help to read', async () => {
    const result = await runCli(['run', '--thredz', '2'], NO_SECRETS);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe("error: unknown option '--thredz' (did you mean --threads?) — see 'pgshift run --help'\n");
  });

  it('refuses --slices outside auto and 1–8 on extract and run, in one line', async () => {
    for (const command of ['extract', 'run']) {
      const result = await runCli([command, '--slices', '9'], NO_SECRETS);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^error: --slices 9: expected auto or a whole number from 1 to 8/);
    }
  });

  it('reports an unknown command in one line', async () => {
    const result = await runCli(['rnu'], NO_SECRETS);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("error: unknown command 'rnu' (did you mean run?) — see 'pgshift --help'\n");
  });

  it('prints its version', async () => {
    const { version } = JSON.parse(await readFile(path.join(REPO, 'package.json'), 'utf8')) as { version: string };
    const result = await runCli(['--version'], NO_SECRETS);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${version}\n`);
  });

  it('compiles and lists a Redshift target with no connection settings in the environment', async () => {
    // Only what templates themselves read (the PII hash key, through env_var) is needed to compile.
    const result = await runCli(['--target', 'prod', 'ls', '--resource-type', 'model'], { ...NO_SECRETS, PGSHIFT_PII_KEY: 'test-key' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.split('\n').length).toBeGreaterThan(5);
  });

  const bin = `${JSON.stringify(path.join(REPO, 'node_modules', '.bin', 'tsx'))} src/cli/bin.ts`;

  it('ends quietly when the reader of its output leaves (`pgshift ls | head -1`)', async () => {
    const result = await shell(`set -o pipefail; ${bin} ls | head -1`);
    expect(result.stderr).not.toMatch(/EPIPE|Error/);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('ends quietly when the reader is gone before the first line', async () => {
    // `true` exits without reading, so every write of ls meets a closed pipe.
    const result = await shell(`set -o pipefail; ${bin} ls --output json | true`);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});
