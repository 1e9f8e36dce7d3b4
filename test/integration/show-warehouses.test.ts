// `pgshift show` on PostgreSQL and on Redshift (Data API emulator): the same preview of a model
// compiled from its source and of an --inline query, the limit applied in the warehouse by
// dbt's subquery, which Redshift takes as PostgreSQL does.

import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_WAREHOUSES, projectTargets } from '../support/cli-warehouses.js';
import { runCli } from '../support/run-cli.js';
import { createTestBucket, createTestDatabase, type TestBucket, type TestDatabase } from '../support/test-env.js';

const CLI_TIMEOUT = 180_000;

const FILES: Record<string, string> = {
  'seeds/raw_items.csv': 'item_id,label,price\n1,apple,1.50\n2,pear,2.00\n3,plum,0.75\n',
  'models/int_items.sql': `{{ config(materialized='ephemeral') }}\nselect item_id, upper(label) as label, price from {{ ref('raw_items') }}`,
  'models/items.sql': `with ranked as (select * from {{ ref('int_items') }}) select item_id, label from ranked order by price desc`,
};

describe.each(Object.entries(CLI_WAREHOUSES))('pgshift show on %s', (_name, kind) => {
  let db: TestDatabase;
  let bucket: TestBucket;
  let dir: string;
  let env: Record<string, string>;
  let close: () => Promise<void>;

  const cli = (...args: string[]) => runCli(['--project-dir', dir, '--target', kind.target, ...args], env);

  beforeAll(async () => {
    db = await createTestDatabase('show_warehouses');
    bucket = await createTestBucket('show-warehouses');
    dir = await mkdtemp(path.join(tmpdir(), 'pgshift-show-warehouses-'));
    const project = `name: previews\nstaging: { bucket: ${bucket.bucket} }\n${projectTargets('previews')}`;
    for (const [file, text] of Object.entries({ ...FILES, 'pgshift.yml': project })) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), text);
    }
    const started = await kind.start(db);
    close = started.close;
    env = started.env;
    const seeded = await cli('seed');
    expect(seeded.code, seeded.stdout + seeded.stderr).toBe(0);
  });

  afterAll(async () => {
    await close?.();
    await db?.drop();
    await bucket?.drop?.();
    await rm(dir, { recursive: true, force: true });
  });

  it(
    'previews a model that was never built, its ephemeral parent inlined, limited in the warehouse',
    async () => {
      const result = await cli('show', '--select', 'items', '--limit', '2');
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toBe("Previewing node 'items':\n| item_id | label |\n| ------- | ----- |\n|       2 | PEAR  |\n|       1 | APPLE |\n");
    },
    CLI_TIMEOUT,
  );

  it(
    'runs an --inline query against the seed, as JSON',
    async () => {
      const result = await cli('show', '--inline', "select count(*) as items from {{ ref('raw_items') }}", '--output', 'json');
      expect(result.code, result.stdout + result.stderr).toBe(0);
      const { node, show } = JSON.parse(result.stdout);
      expect(node).toBe('inline_query');
      expect(show.map((row: { items: unknown }) => Number(row.items))).toEqual([3]);
    },
    CLI_TIMEOUT,
  );
});
