// The mass-delete guard from the command line: `pgshift run` stops the table when too much of
// it vanished, says how to accept it, and `--accept-deletes` does, for that run only.

import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrdersCliProject, type OrdersCliProject } from '../support/orders-cli-project.js';
import { queryDatabase } from '../support/query-database.js';
import { runCli } from '../support/run-cli.js';

describe('--accept-deletes', () => {
  let fixture: OrdersCliProject;
  const sql = queryDatabase;
  const tombstones = async () => Number((await sql<{ n: string }>(fixture.warehouse.url, 'select count(_pgshift_deleted_at) as n from raw.orders'))[0]!.n);

  beforeAll(async () => {
    fixture = await createOrdersCliProject('accept_deletes');
    await writeFile(
      path.join(fixture.projectDir, 'pgshift.yml'),
      `name: accept_deletes_test
staging: { bucket: ${fixture.bucket.bucket} }
targets: { dev: { type: postgres } }
sources:
  shop:
    tables:
      orders: { primary_key: id, cursor: updated_at, deletes: detect }
`,
    );
    const first = await runCli(['run', '--date', '2026-11-23'], fixture.env);
    expect(first.code, first.stderr).toBe(0);
  });
  afterAll(async () => fixture?.close());

  it('stops the table with both counts and the flag to accept them, exit 1, nothing deleted', async () => {
    await sql(fixture.source.url, 'delete from orders where id <= 100');
    const refused = await runCli(['run', '--date', '2026-11-24'], fixture.env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /ERROR source shop\.orders: shop\.orders: 100 of the 500 live rows in raw\.orders \(20%\) are no longer in the source \(400 keys\), more than max_delete_ratio 10%.*rerun with --accept-deletes shop\.orders \(this run only\)/,
    );
    expect(await tombstones()).toBe(0);
  });

  it('applies them with --accept-deletes for that run, and the next run guards again', async () => {
    const accepted = await runCli(['run', '--date', '2026-11-24', '--accept-deletes', 'shop.orders'], fixture.env);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(await tombstones()).toBe(100);
    await sql(fixture.source.url, 'delete from orders where id <= 200');
    const next = await runCli(['run', '--date', '2026-11-25'], fixture.env);
    expect(next.code).toBe(1);
    expect(next.stderr).toMatch(/100 of the 400 live rows/);
  });

  it('names a table it does not know, before any work', async () => {
    const typo = await runCli(['run', '--date', '2026-11-25', '--accept-deletes', 'shop.order'], fixture.env);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toMatch(/--accept-deletes shop\.order: no such table in pgshift\.yml \(name it as source\.table\); did you mean 'shop\.orders'\?/);
  });
});
