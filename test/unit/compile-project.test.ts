// Compiling the fixture shop project: which nodes exist, how configs and relations come out,
// and what the manifest holds for the runner.

import { describe, expect, it } from 'vitest';
import type { ModelNode, SeedNode, SourceNode, TestNode } from '../../src/manifest/index.js';
import { compile, fixtureFiles, nodeNamed } from './compile-fixture.js';

const files = await fixtureFiles();
const manifest = compile(files);
const model = (name: string): ModelNode => nodeNamed(manifest, name) as ModelNode;
const test = (name: string): TestNode => nodeNamed(manifest, name) as TestNode;

describe('nodes', () => {
  it('makes one model per models/**/*.sql, named after the file', () => {
    const models = Object.values(manifest.nodes)
      .filter((node) => node.resource_type === 'model')
      .map((node) => node.name);
    expect(models.sort()).toEqual([
      'customer_ltv',
      'daily_sales',
      'dim_customers',
      'fct_orders',
      'int_order_totals',
      'int_paid_orders',
      'stg_customers',
      'stg_order_items',
      'stg_orders',
    ]);
  });

  it('keeps disabled models out of the graph and lists them under disabled', () => {
    expect(manifest.nodes['model.shop.legacy_orders']).toBeUndefined();
    expect(manifest.disabled['model.shop.legacy_orders']).toEqual({
      unique_id: 'model.shop.legacy_orders',
      name: 'legacy_orders',
      resource_type: 'model',
      original_file_path: 'models/archive/legacy_orders.sql',
    });
  });

  it('makes a source node per pgshift.yml table, described by schema.yml', () => {
    const orders = manifest.sources['source.shop.orders'] as SourceNode;
    expect(orders).toMatchObject({
      name: 'source:shop.orders',
      resource_type: 'source',
      source_name: 'shop',
      identifier: 'orders',
      table_id: 'shop.orders',
      schema: 'raw',
      source_schema: 'public',
      relation_name: '"raw"."orders"',
      loaded_at_field: 'updated_at',
      freshness: { warn_after: { count: 12, period: 'hour' }, error_after: { count: 24, period: 'hour' }, filter: null },
      original_file_path: 'models/staging/sources.yml',
    });
    expect(Object.keys(manifest.sources).sort()).toEqual(['source.shop.customers', 'source.shop.order_items', 'source.shop.orders', 'source.shop.products']);
  });

  it('lets a table switch freshness off with freshness: null', () => {
    expect(manifest.sources['source.shop.products']!.freshness).toBeNull();
    expect(manifest.sources['source.shop.customers']!.freshness).toBeNull();
  });

  it('carries pgshift.yml pii classes onto source columns', () => {
    expect(manifest.sources['source.shop.customers']!.columns.email!.pii).toBe('email');
    expect(manifest.sources['source.shop.customers']!.columns.full_name!.pii).toBe('name');
  });

  it('makes a seed node from the CSV header, typed by column_types', () => {
    const seed = nodeNamed(manifest, 'country_codes') as SeedNode;
    expect(seed.column_names).toEqual(['code', 'name']);
    expect(seed.columns.code!.data_type).toBe('varchar(2)');
    expect(seed.columns.name!.data_type).toBeNull();
    expect(seed.columns.name!.description).toBe('English country name');
    expect(seed.relation_name).toBe('"analytics"."country_codes"');
    expect(seed.checksum.checksum).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('config precedence: config() in the file > schema.yml > pgshift.yml folders > defaults', () => {
  it('uses the default materialization (view) when nothing says otherwise', () => {
    expect(model('stg_order_items').config.materialized).toBe('view');
  });

  it('applies folder config from pgshift.yml to every model below the folder', () => {
    expect(model('dim_customers').config.materialized).toBe('table');
    expect(model('dim_customers').config.tags).toEqual(['marts', 'core']);
    expect(model('daily_sales').schema).toBe('analytics_reports');
  });

  it('applies config nested down to a single model name', () => {
    expect(model('dim_customers').config.dist).toBe('customer_id');
    expect(model('dim_customers').config.sort).toEqual(['customer_id']);
  });

  it('lets schema.yml config override folder config, and config() override both', () => {
    // folder: table, schema.yml: view, config(): incremental.
    expect(model('fct_orders').config.materialized).toBe('incremental');
    expect(model('fct_orders').unrendered_config).toMatchObject({ materialized: 'incremental' });
  });

  it('accumulates tags from every level instead of replacing them', () => {
    expect(model('fct_orders').config.tags).toEqual(['marts', 'core', 'finance']);
    expect(model('fct_orders').tags).toEqual(['marts', 'core', 'finance']);
    expect(model('stg_orders').tags).toEqual(['staging', 'orders']);
  });

  it('defaults the incremental strategy like dbt: delete+insert with a unique key', () => {
    expect(model('fct_orders').config).toMatchObject({
      unique_key: ['order_id'],
      incremental_strategy: 'delete+insert',
      on_schema_change: 'append_new_columns',
    });
  });

  it('normalises grants and hooks to lists', () => {
    expect(model('customer_ltv').config.grants).toEqual({ select: ['reporter'] });
    expect(model('customer_ltv').config.post_hook).toEqual(['analyze {{ this }}']);
  });
});

describe('relations', () => {
  it('puts a model in the target schema, or <target>_<custom> for a custom schema', () => {
    expect(model('dim_customers').relation_name).toBe('"analytics"."dim_customers"');
    expect(model('stg_orders').relation_name).toBe('"analytics_staging"."stg_orders"');
  });

  it('uses the alias as the table name', () => {
    expect(model('customer_ltv')).toMatchObject({
      schema: 'analytics_finance',
      alias: 'customer_lifetime_value',
      relation_name: '"analytics_finance"."customer_lifetime_value"',
    });
  });

  it('gives ephemeral models no relation', () => {
    expect(model('int_paid_orders').relation_name).toBeNull();
  });

  it('renders ref() to the referenced relation, including its alias and schema', () => {
    expect(model('daily_sales').compiled_code).toContain('from "analytics"."fct_orders"');
    expect(model('dim_customers').compiled_code).toContain('left join "analytics"."country_codes" as countries');
  });

  it('renders source() to the raw table', () => {
    expect(model('stg_orders').compiled_code).toContain('select * from "raw"."orders"');
  });

  it('lets a model read its own schema through this.schema after config() moved it', () => {
    expect(model('customer_ltv').compiled_code).toContain("'analytics_finance' as built_in_schema");
  });

  it('renders hooks with the model in context', () => {
    expect(model('customer_ltv').compiled_post_hook).toEqual(['analyze "analytics_finance"."customer_lifetime_value"']);
  });
});

describe('dependencies found by rendering', () => {
  it('records refs and sources as depends_on, in the order they appear', () => {
    expect(model('dim_customers').depends_on.nodes).toEqual(['model.shop.stg_customers', 'model.shop.int_paid_orders', 'seed.shop.country_codes']);
    expect(model('stg_orders').depends_on.nodes).toEqual(['source.shop.orders']);
    expect(model('dim_customers').refs).toEqual([{ name: 'stg_customers' }, { name: 'int_paid_orders' }, { name: 'country_codes' }]);
    expect(model('stg_orders').sources).toEqual([['shop', 'orders']]);
  });

  it('records the project macros a model called', () => {
    expect(model('stg_customers').depends_on.macros).toEqual(['macro.shop.mask_email']);
  });

  it('builds parent and child maps over every node, sources included', () => {
    expect(manifest.parent_map['model.shop.stg_orders']).toEqual(['source.shop.orders']);
    expect(manifest.child_map['source.shop.orders']).toEqual(['model.shop.stg_orders', 'test.shop.source_not_null_shop_orders_order_id']);
  });

  it('orders every node parents first', () => {
    const order = manifest.topological_order;
    const position = (id: string): number => order.indexOf(id);
    expect(order).toHaveLength(Object.keys(manifest.nodes).length + Object.keys(manifest.sources).length);
    for (const [child, parents] of Object.entries(manifest.parent_map)) {
      for (const parent of parents) expect(position(parent)).toBeLessThan(position(child));
    }
  });
});

describe('schema.yml', () => {
  it('adds descriptions, column docs and pii meta to models', () => {
    expect(model('stg_customers').description).toBe('One row per customer, email hashed.');
    expect(model('stg_customers').columns.email_hash).toMatchObject({
      name: 'email_hash',
      pii: 'email',
      meta: { pii: 'email' },
      description: 'sha256 of the normalised email',
    });
    expect(model('stg_customers').patch_path).toBe('models/staging/schema.yml');
  });

  it('merges model meta with config meta', () => {
    expect(model('dim_customers').meta).toEqual({ owner: 'analytics' });
  });
});

describe('tests', () => {
  it('names generic tests like dbt does', () => {
    const names = Object.values(manifest.nodes)
      .filter((node) => node.resource_type === 'test')
      .map((node) => node.name)
      .sort();
    expect(names).toEqual([
      'accepted_values_stg_orders_status__placed__paid__shipped__delivered__returned',
      'assert_no_negative_order_totals',
      'not_null_country_codes_code',
      'not_null_fct_orders_order_id',
      'not_null_stg_customers_customer_id',
      'not_null_stg_orders_order_id',
      'positive_stg_orders_amount',
      'relationships_customer_ltv_customer_id__customer_id__ref_dim_customers_',
      'relationships_fct_orders_customer_id__customer_id__ref_dim_customers_',
      'relationships_stg_orders_customer_id__customer_id__ref_stg_customers_',
      'source_not_null_shop_orders_order_id',
      'unique_country_codes_code',
      'unique_fct_orders_order_id',
      'unique_stg_customers_customer_id',
      'unique_stg_orders_order_id',
    ]);
  });

  it('compiles unique to a query returning duplicated values', () => {
    const unique = test('unique_stg_orders_order_id');
    expect(unique.compiled_code).toBe(
      'select\n    order_id as unique_field,\n    count(*) as n_records\nfrom "analytics_staging"."stg_orders"\nwhere order_id is not null\ngroup by order_id\nhaving count(*) > 1',
    );
    expect(unique).toMatchObject({
      unique_id: 'test.shop.unique_stg_orders_order_id',
      column_name: 'order_id',
      attached_node: 'model.shop.stg_orders',
      file_key_name: 'models.stg_orders',
      test_metadata: { name: 'unique', kwargs: { column_name: 'order_id' }, namespace: null },
      depends_on: { nodes: ['model.shop.stg_orders'], macros: [] },
      fqn: ['shop', 'staging', 'unique_stg_orders_order_id'],
      original_file_path: 'models/staging/schema.yml',
      compiled_path: 'target/compiled/staging/schema.yml/unique_stg_orders_order_id.sql',
    });
  });

  it('makes relationships tests depend on both models', () => {
    const relationships = test('relationships_stg_orders_customer_id__customer_id__ref_stg_customers_');
    expect(relationships.depends_on.nodes).toEqual(['model.shop.stg_orders', 'model.shop.stg_customers']);
    expect(relationships.compiled_code).toContain('from "analytics_staging"."stg_customers"');
    expect(relationships.test_metadata!.kwargs).toEqual({ to: "ref('stg_customers')", field: 'customer_id', column_name: 'customer_id' });
  });

  it('accepts dbt 1.10 arguments: for test arguments', () => {
    expect(test('relationships_fct_orders_customer_id__customer_id__ref_dim_customers_').depends_on.nodes).toEqual([
      'model.shop.fct_orders',
      'model.shop.dim_customers',
    ]);
  });

  it('applies severity from the test config', () => {
    expect(test('accepted_values_stg_orders_status__placed__paid__shipped__delivered__returned').config.severity).toBe('warn');
    expect(test('unique_stg_orders_order_id').config.severity).toBe('error');
  });

  it('filters the tested model through where:', () => {
    const positive = test('positive_stg_orders_amount');
    expect(positive.compiled_code).toContain(`from (select * from "analytics_staging"."stg_orders" where status <> 'returned') __pgshift_where`);
    expect(positive.config.where).toBe("status <> 'returned'");
  });

  it('gives tests the tags of their column', () => {
    expect(test('positive_stg_orders_amount').tags).toEqual(['money']);
  });

  it('runs custom generic tests written as dbt {% test %} blocks', () => {
    expect(test('positive_stg_orders_amount').test_metadata!.name).toBe('positive');
    expect(test('positive_stg_orders_amount').depends_on.macros).toEqual(['macro.shop.test_positive']);
  });

  it('compiles source tests against the raw table', () => {
    const sourceTest = test('source_not_null_shop_orders_order_id');
    expect(sourceTest.compiled_code).toBe('select order_id\nfrom "raw"."orders"\nwhere order_id is null');
    expect(sourceTest.attached_node).toBe('source.shop.orders');
    expect(sourceTest.file_key_name).toBe('sources.shop');
  });

  it('compiles singular tests from tests/ with their own config()', () => {
    const singular = test('assert_no_negative_order_totals');
    expect(singular).toMatchObject({
      test_metadata: null,
      config: { severity: 'warn', tags: ['finance'] },
      depends_on: { nodes: ['model.shop.fct_orders'] },
      original_file_path: 'tests/assert_no_negative_order_totals.sql',
      compiled_path: 'target/compiled/tests/assert_no_negative_order_totals.sql',
    });
    expect(singular.compiled_code).toContain('from "analytics"."fct_orders"');
  });
});

describe('manifest', () => {
  it('checksums each model file', () => {
    expect(model('stg_orders').checksum).toEqual({ name: 'sha256', checksum: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('records where a model compiles to', () => {
    expect(model('fct_orders')).toMatchObject({
      path: 'marts/core/fct_orders.sql',
      original_file_path: 'models/marts/core/fct_orders.sql',
      compiled_path: 'target/compiled/marts/core/fct_orders.sql',
      fqn: ['shop', 'marts', 'core', 'fct_orders'],
      package_name: 'shop',
    });
  });

  it('lists project macros with checksums', () => {
    expect(manifest.macros['macro.shop.mask_email']).toMatchObject({ name: 'mask_email', original_file_path: 'macros/pii.sql' });
  });

  it('describes the compilation', () => {
    expect(manifest.metadata).toEqual({
      pgshift_schema_version: 'pgshift/manifest/v1',
      generated_at: '2024-03-02T06:00:00.000Z',
      project_name: 'shop',
      target: { name: 'dev', type: 'postgres', schema: 'analytics' },
    });
    expect(manifest.warnings).toEqual([]);
  });

  it('survives a JSON round trip unchanged', () => {
    expect(JSON.parse(JSON.stringify(manifest))).toEqual(manifest);
  });

  it('compiles the same project to the same manifest every time', () => {
    expect(compile(files)).toEqual(manifest);
  });
});
