// `pgshift snapshot` and `pgshift build` with a snapshot, as a user runs them: build takes the
// seed, then the snapshot, its tests and the model that reads it, in graph order; snapshot
// builds only snapshots, and a changed seed shows up in the history as a closed version.

import { readRunResults } from '../../src/run/run-results.js';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrdersCliProject, type OrdersCliProject } from '../support/orders-cli-project.js';
import { queryDatabase } from '../support/query-database.js';
import { runCli } from '../support/run-cli.js';

describe('pgshift snapshot', () => {
  let project: OrdersCliProject;
  const write = async (file: string, text: string) => {
    await mkdir(path.dirname(path.join(project.projectDir, file)), { recursive: true });
    await writeFile(path.join(project.projectDir, file), text);
  };

  beforeAll(async () => {
    project = await createOrdersCliProject('snapshot_cli');
    await write('seeds/customers.csv', 'id,name,tier\n1,ada,gold\n2,bob,silver\n');
    await write(
      'snapshots/customers_snapshot.sql',
      `{% snapshot customers_snapshot %}
{{ config(target_schema='history', unique_key='id', strategy='check', check_cols='all', hard_deletes='invalidate') }}
select * from {{ ref('customers') }}
{% endsnapshot %}
`,
    );
    await write(
      'snapshots/schema.yml',
      'snapshots:\n  - name: customers_snapshot\n    columns:\n      - name: dbt_scd_id\n        data_tests: [unique, not_null]\n',
    );
    await write('models/current_customers.sql', "select id, name, tier from {{ ref('customers_snapshot') }} where dbt_valid_to is null");
  }, 120_000);

  afterAll(async () => {
    await project?.close();
  });

  it('builds the seed, the snapshot, its tests and the model reading it, in that order', async () => {
    const result = await runCli(['build'], project.env);
    expect(result.stderr).toContain('PASS=5 WARN=0 ERROR=0 SKIP=0 TOTAL=5');
    expect(result.code).toBe(0);
    const results = (await readRunResults(path.join(project.projectDir, 'target')))!;
    const ids = results.results.map((entry) => `${entry.unique_id} ${entry.status}`);
    expect(ids).toEqual(
      expect.arrayContaining([
        'seed.snapshot_cli_test.customers success',
        'snapshot.snapshot_cli_test.customers_snapshot success',
        'test.snapshot_cli_test.unique_customers_snapshot_dbt_scd_id pass',
        'test.snapshot_cli_test.not_null_customers_snapshot_dbt_scd_id pass',
        'model.snapshot_cli_test.current_customers success',
      ]),
    );
    // A node finishes only after its parents did: run_results lists them in that order.
    const position = (id: string) => ids.findIndex((entry) => entry.startsWith(`${id} `));
    expect(position('seed.snapshot_cli_test.customers')).toBeLessThan(position('snapshot.snapshot_cli_test.customers_snapshot'));
    expect(position('snapshot.snapshot_cli_test.customers_snapshot')).toBeLessThan(position('model.snapshot_cli_test.current_customers'));
    const current = await queryDatabase(project.warehouse.url, 'select id::int as id, name from analytics.current_customers order by id::int');
    expect(current).toEqual([
      { id: 1, name: 'ada' },
      { id: 2, name: 'bob' },
    ]);
  }, 120_000);

  it('records a changed and a deleted row when only the snapshot runs again', async () => {
    await write('seeds/customers.csv', 'id,name,tier\n1,ada,platinum\n');
    expect((await runCli(['seed'], project.env)).code).toBe(0);
    const result = await runCli(['snapshot', '--select', 'resource_type:snapshot'], project.env);
    expect(result.stderr).toContain('PASS=1 WARN=0 ERROR=0 SKIP=0 TOTAL=1');
    expect(result.code).toBe(0);
    const history = await queryDatabase<{ id: number; tier: string; current: boolean }>(
      project.warehouse.url,
      'select id::int as id, tier, dbt_valid_to is null as current from history.customers_snapshot order by id::int, dbt_valid_from',
    );
    expect(history).toEqual([
      { id: 1, tier: 'gold', current: false },
      { id: 1, tier: 'platinum', current: true },
      { id: 2, tier: 'silver', current: false },
    ]);
  }, 120_000);
});
