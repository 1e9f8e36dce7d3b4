// --slices replaces every table's `slices:` for the command, and the source pool is sized for
// each table extracted at once to hold its snapshot's connection and one per range.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRuntime } from '../../src/api/runtime.js';

describe('--slices in the runtime', () => {
  let dir: string;
  const saved = process.env.PGSHIFT_SOURCE_URL;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'pgshift-slices-'));
    await writeFile(
      path.join(dir, 'pgshift.yml'),
      `name: p
threads: 3
staging: { bucket: b }
targets: { dev: { type: postgres } }
sources:
  shop:
    tables:
      orders: { primary_key: id, mode: full, slices: 2 }
      items: { primary_key: id, mode: full }
`,
    );
    // Never connected: a pool opens its connections on first use.
    process.env.PGSHIFT_SOURCE_URL = 'postgres://nobody@127.0.0.1:1/none';
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env.PGSHIFT_SOURCE_URL;
    else process.env.PGSHIFT_SOURCE_URL = saved;
    await rm(dir, { recursive: true, force: true });
  });

  const poolMax = (runtime: Awaited<ReturnType<typeof openRuntime>>) =>
    (runtime.sourcePool(runtime.project.tables[0]!) as unknown as { options: { max: number } }).options.max;

  it("keeps each table's slices without the flag, and sizes the pool for the largest", async () => {
    const runtime = await openRuntime({ projectDir: dir });
    try {
      expect(runtime.project.tables.map((table) => table.slices)).toEqual([2, 'auto']);
      expect(poolMax(runtime)).toBe(3 * (1 + Math.max(2, Math.min(8, availableParallelism()))));
    } finally {
      await runtime.close();
    }
  });

  it('replaces every table’s slices with the flag', async () => {
    const runtime = await openRuntime({ projectDir: dir }, 2, 4);
    try {
      expect(runtime.project.tables.map((table) => table.slices)).toEqual([4, 4]);
      expect(poolMax(runtime)).toBe(2 * (1 + 4));
    } finally {
      await runtime.close();
    }
  });
});
