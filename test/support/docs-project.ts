// A small project to document: the raw table of source shop.orders (loaded directly into the
// warehouse, so no extract is needed), a seed, a staging view, a mart table, docs blocks, tests,
// a PII column and an exposure, in a temporary folder with a PostgreSQL warehouse.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { queryDatabase } from './query-database.js';
import { runCli, type CliResult } from './run-cli.js';
import { createTestDatabase, type TestDatabase } from './test-env.js';

export interface DocsProject {
  readonly warehouse: TestDatabase;
  readonly projectDir: string;
  readonly env: Record<string, string>;
  cli(args: string[]): Promise<CliResult>;
  close(): Promise<void>;
}

const FILES: Record<string, string> = {
  'models/docs.md': `{% docs customer_orders %}
One row per customer: how many orders they placed and when the last one was.
{% enddocs %}

{% docs order_status %}
Where the order is: placed, shipped or returned.
{% enddocs %}
`,
  'models/staging/stg_orders.sql': `select id as order_id, customer_email, status, updated_at
from {{ source('shop', 'orders') }}
`,
  'models/marts/customer_orders.sql': `{{ config(materialized='table') }}
select o.customer_email, count(*) as orders, max(o.updated_at) as last_order_at, max(l.label) as last_status_label
from {{ ref('stg_orders') }} o
left join {{ ref('status_labels') }} l on l.status = o.status
group by o.customer_email
`,
  'models/schema.yml': `version: 2
sources:
  - name: shop
    tables:
      - name: orders
        description: Orders as the shop's database holds them.
        columns:
          - name: status
            description: "{{ doc('order_status') }}"
models:
  - name: stg_orders
    description: Orders, renamed.
    columns:
      - name: order_id
        data_tests: [unique, not_null]
      - name: customer_email
        meta: { pii: email }
      - name: status
        description: "{{ doc('order_status') }}"
        data_tests:
          - accepted_values:
              arguments: { values: [placed, shipped, returned] }
  - name: customer_orders
    description: "{{ doc('customer_orders') }}"
    columns:
      - name: customer_email
        description: The customer's e-mail address.
        meta: { pii: email }
        data_tests: [unique]
      - name: orders
        description: Orders <b>placed</b>, all time.
exposures:
  - name: weekly_review
    type: dashboard
    owner: { name: Sales, email: sales@example.com }
    description: The dashboard of the Monday meeting.
    depends_on:
      - ref('customer_orders')
`,
  'seeds/status_labels.csv': 'status,label\nplaced,Placed\nshipped,On its way\nreturned,Returned\n',
};

export async function createDocsProject(name: string): Promise<DocsProject> {
  const warehouse = await createTestDatabase(`${name}_wh`);
  await queryDatabase(
    warehouse.url,
    `create schema raw;
    create table raw.orders (id int primary key, customer_email text, status text, updated_at timestamptz not null);
    insert into raw.orders select g, 'c' || (g % 7) || '@example.com', (array['placed', 'shipped', 'returned'])[1 + g % 3], '2026-11-23'::timestamptz + g * interval '1 minute'
      from generate_series(1, 40) g;
    analyze raw.orders;`,
  );
  const projectDir = await mkdtemp(path.join(tmpdir(), `pgshift-${name}-`));
  await writeFile(
    path.join(projectDir, 'pgshift.yml'),
    `name: ${name}
staging: { bucket: unused }
targets: { dev: { type: postgres, schema: analytics } }
sources:
  shop:
    tables:
      orders: { primary_key: id, cursor: updated_at, pii: { customer_email: email } }
`,
  );
  for (const [file, text] of Object.entries(FILES)) {
    await mkdir(path.dirname(path.join(projectDir, file)), { recursive: true });
    await writeFile(path.join(projectDir, file), text);
  }
  const env = { PGSHIFT_WAREHOUSE_URL: warehouse.url, PGSHIFT_PROJECT_DIR: projectDir };
  return {
    warehouse,
    projectDir,
    env,
    cli: (args) => runCli(args, env),
    close: async () => {
      await warehouse.drop();
      await rm(projectDir, { recursive: true, force: true });
    },
  };
}

/** Seeds and builds the project's models (not its source: its raw table is already there). */
export async function buildDocsProject(project: DocsProject): Promise<void> {
  for (const args of [['seed'], ['run', '--select', 'stg_orders', 'customer_orders']]) {
    const result = await project.cli(args);
    if (result.code !== 0) throw new Error(`pgshift ${args.join(' ')} failed: ${result.stderr}`);
  }
}
