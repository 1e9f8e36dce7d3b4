// Snapshots as dbt writes them: `{% snapshot %}` blocks in snapshots/*.sql and (dbt 1.9)
// `snapshots:` entries with a relation in a YAML file. They compile to snapshot nodes that ref()
// reaches, that tests attach to, that selectors and the snapshot/build commands pick, and a
// config that lacks what its strategy needs stops compilation with one line naming the file.

import { describe, expect, it } from 'vitest';
import type { ProjectFiles } from '../../src/compile/index.js';
import { compileInputsDigest } from '../../src/compile/compile-inputs.js';
import { CompileError } from '../../src/errors.js';
import { selectNodes } from '../../src/graph/index.js';
import type { SnapshotNode } from '../../src/manifest/index.js';
import { planRun } from '../../src/run/plan-run.js';
import { bareProject, compile, compiledSql } from './compile-fixture.js';

const ORDERS_SNAPSHOT = `{% snapshot orders_snapshot %}
{{ config(target_schema='snapshots', unique_key='order_id', strategy='timestamp', updated_at='updated_at') }}
select * from {{ source('shop', 'orders') }}
{% endsnapshot %}
`;

async function project(
  snapshots: Record<string, string>,
  models: Record<string, string> = {},
  schemaFiles: Record<string, string> = {},
): Promise<ProjectFiles> {
  const files = await bareProject(models, { schemaFiles });
  return { ...files, snapshots: Object.entries(snapshots).map(([path, text]) => ({ path, text })) };
}

function failure(files: ProjectFiles): Error {
  try {
    compile(files);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected compilation to fail');
}

describe('snapshots in SQL', () => {
  it('becomes a snapshot node that a model refs, built before it', async () => {
    const manifest = compile(
      await project(
        { 'snapshots/orders_snapshot.sql': ORDERS_SNAPSHOT },
        { 'models/current_orders.sql': "select * from {{ ref('orders_snapshot') }} where dbt_valid_to is null" },
      ),
    );
    const snapshot = manifest.nodes['snapshot.shop.orders_snapshot'] as SnapshotNode;
    expect(snapshot).toMatchObject({
      resource_type: 'snapshot',
      name: 'orders_snapshot',
      fqn: ['shop', 'orders_snapshot'],
      original_file_path: 'snapshots/orders_snapshot.sql',
      // target_schema is used as written, without the target's schema in front.
      schema: 'snapshots',
      alias: 'orders_snapshot',
      relation_name: '"snapshots"."orders_snapshot"',
      depends_on: { nodes: ['source.shop.orders'] },
    });
    expect(snapshot.config).toMatchObject({ unique_key: ['order_id'], strategy: 'timestamp', updated_at: 'updated_at', hard_deletes: 'ignore' });
    expect(snapshot.compiled_code.trim()).toBe('select * from "raw"."orders"');
    expect(compiledSql(manifest, 'current_orders')).toBe('select * from "snapshots"."orders_snapshot" where dbt_valid_to is null');
    expect(manifest.parent_map['model.shop.current_orders']).toEqual(['snapshot.shop.orders_snapshot']);
    const order = manifest.topological_order;
    expect(order.indexOf('snapshot.shop.orders_snapshot')).toBeLessThan(order.indexOf('model.shop.current_orders'));
  });

  it('reads the legacy invalidate_hard_deletes as hard_deletes invalidate, and a file may hold several snapshots', async () => {
    const manifest = compile(
      await project({
        'snapshots/shop.sql': `${ORDERS_SNAPSHOT.replace("updated_at='updated_at'", "updated_at='updated_at', invalidate_hard_deletes=true")}
{% snapshot customers_snapshot %}{{ config(unique_key=['customer_id'], strategy='check', check_cols=['email', 'name']) }}select * from {{ source('shop', 'customers') }}{% endsnapshot %}`,
      }),
    );
    expect((manifest.nodes['snapshot.shop.orders_snapshot'] as SnapshotNode).config.hard_deletes).toBe('invalidate');
    const customers = manifest.nodes['snapshot.shop.customers_snapshot'] as SnapshotNode;
    expect(customers.config).toMatchObject({ strategy: 'check', check_cols: ['email', 'name'], hard_deletes: 'ignore' });
    // Without target_schema the snapshot builds into the target's schema, like a model.
    expect(customers.schema).toBe('analytics');
  });

  it('runs the schema.yml tests declared on a snapshot after it', async () => {
    const manifest = compile(
      await project(
        { 'snapshots/orders_snapshot.sql': ORDERS_SNAPSHOT },
        {},
        {
          'snapshots/schema.yml':
            'snapshots:\n  - name: orders_snapshot\n    description: every version of every order\n    columns:\n      - name: dbt_scd_id\n        data_tests: [unique]\n',
        },
      ),
    );
    const test = manifest.nodes['test.shop.unique_orders_snapshot_dbt_scd_id'];
    expect(test).toMatchObject({ resource_type: 'test', attached_node: 'snapshot.shop.orders_snapshot', file_key_name: 'snapshots.orders_snapshot' });
    expect(compiledSql(manifest, 'unique_orders_snapshot_dbt_scd_id')).toContain('"snapshots"."orders_snapshot"');
    expect(manifest.nodes['snapshot.shop.orders_snapshot']!.description).toBe('every version of every order');
  });
});

describe('snapshots in YAML (dbt 1.9)', () => {
  it('selects from its relation with the config of the entry', async () => {
    const manifest = compile(
      await project(
        {},
        {},
        {
          'snapshots/orders.yml': `snapshots:
  - name: orders_history
    relation: source('shop', 'orders')
    config:
      schema: history
      unique_key: [order_id, customer_id]
      strategy: check
      check_cols: all
      hard_deletes: new_record
`,
        },
      ),
    );
    const snapshot = manifest.nodes['snapshot.shop.orders_history'] as SnapshotNode;
    expect(snapshot.compiled_code).toBe('select * from "raw"."orders"');
    // `schema` goes through generate_schema_name, as a model's does.
    expect(snapshot.schema).toBe('analytics_history');
    expect(snapshot.original_file_path).toBe('snapshots/orders.yml');
    expect(snapshot.config).toMatchObject({ unique_key: ['order_id', 'customer_id'], strategy: 'check', check_cols: 'all', hard_deletes: 'new_record' });
    expect(snapshot.depends_on.nodes).toEqual(['source.shop.orders']);
  });

  it('rejects a relation that is neither ref() nor source()', async () => {
    const error = failure(
      await project(
        {},
        {},
        {
          'snapshots/orders.yml':
            'snapshots:\n  - name: orders_history\n    relation: raw.orders\n    config: { unique_key: id, strategy: check, check_cols: all }\n',
        },
      ),
    );
    expect(error.message).toBe("snapshots/orders.yml: snapshots.orders_history.relation must be ref('…') or source('…', '…'), got 'raw.orders'");
  });
});

describe('snapshot selection', () => {
  it('is picked by resource_type:snapshot, by `snapshot` and by `build` before the models that read it', async () => {
    const manifest = compile(
      await project({ 'snapshots/orders_snapshot.sql': ORDERS_SNAPSHOT }, { 'models/current_orders.sql': "select * from {{ ref('orders_snapshot') }}" }),
    );
    expect(selectNodes(manifest, { select: ['resource_type:snapshot'] }).selected).toEqual(['snapshot.shop.orders_snapshot']);
    expect(planRun(manifest, { command: 'snapshot' }).order).toEqual(['snapshot.shop.orders_snapshot']);
    expect(planRun(manifest, { command: 'build' }).order).toEqual(['snapshot.shop.orders_snapshot', 'model.shop.current_orders']);
    expect(planRun(manifest, { command: 'build' }).schemas).toContain('snapshots');
    // dbt's run leaves snapshots alone.
    expect(planRun(manifest, { command: 'run' }).order).not.toContain('snapshot.shop.orders_snapshot');
  });
});

describe('the compilation digest', () => {
  it('changes with a snapshot file, so `pgshift ls` does not reuse a stale selection', async () => {
    const context = { target: { name: 'dev', type: 'postgres' as const, schema: 'analytics' } };
    const before = compileInputsDigest(await project({ 'snapshots/orders_snapshot.sql': ORDERS_SNAPSHOT }), context, '1');
    const after = compileInputsDigest(await project({ 'snapshots/orders_snapshot.sql': ORDERS_SNAPSHOT.replace('shop', 'shop ') }), context, '1');
    expect(after).not.toBe(before);
  });
});

describe('snapshot config errors', () => {
  it('names the snapshot and its file when unique_key is missing', async () => {
    const error = failure(await project({ 'snapshots/orders_snapshot.sql': ORDERS_SNAPSHOT.replace("unique_key='order_id', ", '') }));
    expect(error).toBeInstanceOf(CompileError);
    expect(error.message).toBe(
      "snapshots/orders_snapshot.sql: snapshot orders_snapshot has no unique_key; set unique_key='<column>' (or a list) in its config",
    );
  });

  it('names the snapshot and its file when the timestamp strategy has no updated_at', async () => {
    const error = failure(await project({ 'snapshots/orders_snapshot.sql': ORDERS_SNAPSHOT.replace(", updated_at='updated_at'", '') }));
    expect(error.message).toBe(
      "snapshots/orders_snapshot.sql: snapshot orders_snapshot uses strategy 'timestamp' without updated_at; set updated_at='<column>' to the column that changes when a row does",
    );
  });

  it('names the YAML file of a snapshot whose check strategy has no check_cols', async () => {
    const error = failure(
      await project(
        {},
        {},
        {
          'snapshots/orders.yml':
            "snapshots:\n  - name: orders_history\n    relation: source('shop', 'orders')\n    config: { unique_key: id, strategy: check }\n",
        },
      ),
    );
    expect(error.message).toBe(
      "snapshots/orders.yml: snapshot orders_history uses strategy 'check' without check_cols; set check_cols=['<column>', …] or 'all'",
    );
  });

  it('rejects a snapshot file without a snapshot block', async () => {
    const error = failure(await project({ 'snapshots/orders_snapshot.sql': 'select 1' }));
    expect(error.message).toBe('snapshots/orders_snapshot.sql: no {% snapshot <name> %} … {% endsnapshot %} block; a snapshot file holds one or more');
  });

  it('rejects an unknown snapshot config key, naming the file', async () => {
    const error = failure(await project({ 'snapshots/orders_snapshot.sql': ORDERS_SNAPSHOT.replace("strategy='timestamp'", "stratgy='timestamp'") }));
    expect(error.message).toMatch(/^snapshots\/orders_snapshot\.sql:2: config\(\): .*stratgy/);
  });
});
