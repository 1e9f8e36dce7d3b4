// Table shapes at the command line: a table whose name has a space and capitals is selected
// exactly by `extract` and by `run`, and a partitioned parent configured with its own partition
// is refused before anything is extracted.

import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrdersCliProject, type OrdersCliProject } from '../support/orders-cli-project.js';
import { queryDatabase } from '../support/query-database.js';
import { runCli } from '../support/run-cli.js';
import { listKeys } from '../support/s3-objects.js';

const PROJECT = (project: OrdersCliProject, extraTables = '') => `name: shapes_test
staging: { bucket: ${project.bucket.bucket} }
targets: { dev: { type: postgres } }
sources:
  shop:
    tables:
      orders: { primary_key: id, cursor: updated_at }
${extraTables}  app:
    schema: My Schema
    tables:
      Order Lines: { primary_key: id, cursor: Placed At }
      Order: { primary_key: id, cursor: Placed At }
`;

describe('table shapes at the command line', () => {
  let project: OrdersCliProject;
  const query = queryDatabase;
  const usePgshiftYml = (text: string) => writeFile(path.join(project.projectDir, 'pgshift.yml'), text);

  beforeAll(async () => {
    project = await createOrdersCliProject('shapes_cli');
    await query(
      project.source.url,
      `create schema "My Schema";
       create table "My Schema"."Order Lines" (id int primary key, "Placed At" timestamptz not null);
       insert into "My Schema"."Order Lines" select g, '2026-11-23 09:00:00+00' from generate_series(1, 7) g;
       create table "My Schema"."Order" (id int primary key, "Placed At" timestamptz not null);
       insert into "My Schema"."Order" select g, '2026-11-23 09:00:00+00' from generate_series(1, 3) g;
       create table events (id int, at timestamptz not null, primary key (id, at)) partition by range (at);
       create table events_2026 partition of events for values from ('2026-01-01') to ('2027-01-01');`,
    );
    await usePgshiftYml(PROJECT(project));
  });
  afterAll(async () => project?.close());

  it('extract --select with the name as written extracts exactly that table, and hints a runnable index', async () => {
    const result = await runCli(['extract', '--date', '2026-11-23', '--select', 'app.Order Lines'], project.env);
    expect(result.code, result.stderr).toBe(0);
    const tables = new Set((await listKeys(project.bucket.client, project.bucket.bucket)).map((key) => key.split('/').slice(1, 3).join('/')));
    expect([...tables]).toEqual(['app/Order Lines']);
    expect(result.stderr).toContain(
      `app.Order Lines: cursor column 'Placed At' leads no index, so every extract scans the whole table; consider create index on "My Schema"."Order Lines" ("Placed At")`,
    );
  });

  it('run --select with a quoted name loads exactly that table', async () => {
    const result = await runCli(['run', '--date', '2026-11-23', '--select', 'source:app."Order Lines"'], project.env);
    expect(result.code, result.stderr).toBe(0);
    const raw = await query(project.warehouse.url, `select table_name from information_schema.tables where table_schema = 'raw' order by 1`);
    expect(raw).toEqual([{ table_name: 'Order Lines' }]);
    expect(await query(project.warehouse.url, `select count(*)::int as n from raw."Order Lines"`)).toEqual([{ n: 7 }]);
  });

  it('refuses a partitioned parent configured with its partition, naming both, before extracting anything', async () => {
    await usePgshiftYml(PROJECT(project, `      events: { primary_key: [id, at], mode: full }\n      events_2026: { primary_key: [id, at], mode: full }\n`));
    try {
      const before = await listKeys(project.bucket.client, project.bucket.bucket);
      const result = await runCli(['extract', '--date', '2026-11-23'], project.env);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        'error: pgshift.yml: shop.events and shop.events_2026 overlap: public.events_2026 is a partition or inheritance child of public.events, whose extract already reads its rows, so both would store them twice; remove sources.shop.tables.events_2026 (or the parent) from pgshift.yml\n',
      );
      expect(await listKeys(project.bucket.client, project.bucket.bucket)).toEqual(before);
      const run = await runCli(['run', '--date', '2026-11-23', '--select', 'source:shop'], project.env);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('error: pgshift.yml: shop.events and shop.events_2026 overlap');
      expect(await listKeys(project.bucket.client, project.bucket.bucket)).toEqual(before);
    } finally {
      await usePgshiftYml(PROJECT(project));
    }
  });
});
