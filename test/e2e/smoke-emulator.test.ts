// `npm run smoke:emulator`: `pgshift debug` and `pgshift smoke` as a user runs them against a
// Redshift workgroup, here the strict emulator on the local stack.

import { describe, expect, it } from 'vitest';
import { runTypeScript } from '../support/run-cli.js';

async function smokeEmulator(): Promise<{ code: number | null; output: string }> {
  const { code, stdout, stderr } = await runTypeScript('scripts/smoke-emulator.ts');
  return { code, output: stdout + stderr };
}

describe('npm run smoke:emulator', () => {
  it('passes every debug and smoke check against the emulated Redshift target, and exits 0', async () => {
    const { code, output } = await smokeEmulator();
    const rows = output.split('\n').filter((line) => /^(OK|WARN|FAIL|SKIP) {2}/.test(line));
    expect(
      rows.filter((line) => !line.startsWith('OK')),
      output,
    ).toEqual([]);
    expect(rows.map((line) => line.slice(6).split(/ {2,}/)[0])).toEqual([
      'configuration',
      'target',
      'source shop',
      'staging bucket',
      'warehouse connection',
      'warehouse privileges',
      'COPY from staging',
      'region',
      'every type, value by value',
      'full-table swap under a view',
      'incremental merge',
      'grant to a declared role',
    ]);
    expect(code, output).toBe(0);
  }, 180_000);
});
