// `pgshift clean` as dbt's: target/ and dbt_packages/ go, the project's own files stay, and a
// target path outside the project directory is refused without deleting anything.

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

describe('pgshift clean', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pgshift-clean-'));
    for (const folder of ['target/compiled', 'dbt_packages/utils', 'models']) await mkdir(path.join(dir, folder), { recursive: true });
    await writeFile(path.join(dir, 'target', 'manifest.json'), '{}');
    await writeFile(path.join(dir, 'models', 'orders.sql'), 'select 1');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('removes target/ and dbt_packages/ and keeps the models', async () => {
    const result = await runCli(['--project-dir', dir, 'clean']);
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'target'))).toBe(false);
    expect(existsSync(path.join(dir, 'dbt_packages'))).toBe(false);
    expect(existsSync(path.join(dir, 'models', 'orders.sql'))).toBe(true);
  });

  it('refuses a target path outside the project directory, in one line, deleting nothing', async () => {
    const result = await runCli(['--project-dir', path.join(dir, 'models'), 'clean', '--target-path', '..']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: clean: --target-path \.\. is not inside the project directory .*; clean removes only folders inside it\n$/);
    expect(existsSync(path.join(dir, 'target', 'manifest.json'))).toBe(true);
  });
});
