// Node selection, dbt style, on the fixture shop project. The graph:
//
//   source:shop.orders ── stg_orders ──┐
//   source:shop.order_items ── stg_order_items ── int_order_totals (ephemeral)
//                                      └── int_paid_orders (ephemeral) ── fct_orders ── daily_sales
//   source:shop.customers ── stg_customers ──┐                         └──────────┐
//   country_codes (seed) ────────────────── dim_customers ─────────────────── customer_ltv
//
// plus schema.yml tests on stg_customers, stg_orders, fct_orders, customer_ltv, country_codes
// and source:shop.orders, and one singular test on fct_orders.

import { describe, expect, it } from 'vitest';
import { getNode, type Manifest } from '../../src/manifest/index.js';
import { ConfigError } from '../../src/errors.js';
import { selectNodes, type SelectOptions } from '../../src/graph/index.js';
import { compile, edit, fixtureFiles } from './compile-fixture.js';

const files = await fixtureFiles();
const manifest = compile(files);

/** Names of the selected nodes, sorted, so expectations read as sets. */
function select(options: SelectOptions, from: Manifest = manifest): string[] {
  return selectNodes(from, options)
    .selected.map((id) => getNode(from, id)!.name)
    .sort();
}

const ORDERS_TESTS = [
  'accepted_values_stg_orders_status__placed__paid__shipped__delivered__returned',
  'not_null_stg_orders_order_id',
  'positive_stg_orders_amount',
  'relationships_stg_orders_customer_id__customer_id__ref_stg_customers_',
  'unique_stg_orders_order_id',
];
const FCT_TESTS = [
  'assert_no_negative_order_totals',
  'not_null_fct_orders_order_id',
  'relationships_fct_orders_customer_id__customer_id__ref_dim_customers_',
  'unique_fct_orders_order_id',
];
const LTV_TEST = 'relationships_customer_ltv_customer_id__customer_id__ref_dim_customers_';

describe('without a selection', () => {
  it('selects every node, sources included', () => {
    expect(selectNodes(manifest).selected).toHaveLength(Object.keys(manifest.nodes).length + Object.keys(manifest.sources).length);
  });
});

describe('node names and fqn', () => {
  it('selects a model by name, with the tests that hang off it (indirect selection)', () => {
    expect(select({ select: ['stg_orders'] })).toEqual(['stg_orders', ...ORDERS_TESTS].sort());
  });

  it('selects a folder by its fqn prefix', () => {
    expect(select({ select: ['marts'], resourceTypes: ['model'] })).toEqual(['dim_customers', 'fct_orders']);
  });

  it('matches fqn wildcards: staging.*', () => {
    expect(select({ select: ['staging.*'], resourceTypes: ['model'] })).toEqual([
      'int_order_totals',
      'int_paid_orders',
      'stg_customers',
      'stg_order_items',
      'stg_orders',
    ]);
  });

  it('matches name wildcards: stg_*', () => {
    expect(select({ select: ['stg_*'], resourceTypes: ['model'] })).toEqual(['stg_customers', 'stg_order_items', 'stg_orders']);
  });

  it('matches nested folders: marts.core.*', () => {
    expect(select({ select: ['marts.core.*'], resourceTypes: ['model'] })).toEqual(['dim_customers', 'fct_orders']);
  });

  it('does not select disabled models, and warns', () => {
    expect(selectNodes(manifest, { select: ['legacy_orders'] })).toEqual({
      selected: [],
      exposures: [],
      warnings: ["The selection criterion 'legacy_orders' does not match any enabled nodes"],
    });
  });
});

describe('methods', () => {
  it('path: a folder, relative to the project root', () => {
    expect(select({ select: ['path:models/staging'], resourceTypes: ['model'] })).toEqual([
      'int_order_totals',
      'int_paid_orders',
      'stg_customers',
      'stg_order_items',
      'stg_orders',
    ]);
  });

  it('path: a single file (a bare path works too)', () => {
    expect(select({ select: ['path:models/marts/core/fct_orders.sql'] })).toEqual(['fct_orders', ...FCT_TESTS].sort());
    expect(select({ select: ['models/marts/core/fct_orders.sql'] })).toEqual(['fct_orders', ...FCT_TESTS].sort());
  });

  it('file: the file name, with or without extension', () => {
    expect(select({ select: ['file:fct_orders.sql'], resourceTypes: ['model'] })).toEqual(['fct_orders']);
    expect(select({ select: ['file:fct_orders'], resourceTypes: ['model'] })).toEqual(['fct_orders']);
  });

  it('tag: models and tests carrying the tag (folder, schema.yml and config() tags count)', () => {
    expect(select({ select: ['tag:finance'] })).toEqual(['customer_ltv', 'fct_orders', LTV_TEST, ...FCT_TESTS].sort());
  });

  it('source: a whole source, one table, or a wildcard', () => {
    expect(select({ select: ['source:shop'], resourceTypes: ['source'] })).toEqual([
      'source:shop.customers',
      'source:shop.order_items',
      'source:shop.orders',
      'source:shop.products',
    ]);
    expect(select({ select: ['source:shop.orders'] })).toEqual(['source:shop.orders', 'source_not_null_shop_orders_order_id']);
    expect(select({ select: ['source:shop.order*'], resourceTypes: ['source'] })).toEqual(['source:shop.order_items', 'source:shop.orders']);
  });

  it('resource_type: model, seed, test or source', () => {
    expect(select({ select: ['resource_type:seed'] })).toEqual(['country_codes', 'not_null_country_codes_code', 'unique_country_codes_code']);
    expect(select({ select: ['resource_type:test'] })).toHaveLength(15);
  });

  it('config.<key>: compares the resolved config', () => {
    expect(select({ select: ['config.materialized:incremental'], resourceTypes: ['model'] })).toEqual(['fct_orders']);
    expect(select({ select: ['config.materialized:ephemeral'] })).toEqual(['int_order_totals', 'int_paid_orders']);
    expect(select({ select: ['config.schema:finance'], resourceTypes: ['model'] })).toEqual(['customer_ltv']);
  });

  it('config.<key>: matches one element of a list value', () => {
    expect(select({ select: ['config.tags:core'], resourceTypes: ['model'] })).toEqual(['dim_customers', 'fct_orders']);
  });

  it('config.severity selects warn-only tests', () => {
    expect(select({ select: ['config.severity:warn'] })).toEqual([
      'accepted_values_stg_orders_status__placed__paid__shipped__delivered__returned',
      'assert_no_negative_order_totals',
    ]);
  });

  it('test_name: the generic test behind a test', () => {
    expect(select({ select: ['test_name:unique'] })).toEqual([
      'unique_country_codes_code',
      'unique_fct_orders_order_id',
      'unique_stg_customers_customer_id',
      'unique_stg_orders_order_id',
    ]);
  });

  it('test_type: generic (schema.yml) or singular (tests/*.sql)', () => {
    expect(select({ select: ['test_type:singular'] })).toEqual(['assert_no_negative_order_totals']);
    expect(select({ select: ['test_type:generic'] })).toHaveLength(14);
  });

  it('package: the project itself', () => {
    expect(select({ select: ['package:shop'] })).toHaveLength(selectNodes(manifest).selected.length);
  });
});

describe('graph operators', () => {
  it('+x: x and everything it depends on, sources included', () => {
    expect(select({ select: ['+daily_sales'], resourceTypes: ['model', 'source'] })).toEqual([
      'daily_sales',
      'fct_orders',
      'int_order_totals',
      'int_paid_orders',
      'source:shop.order_items',
      'source:shop.orders',
      'stg_order_items',
      'stg_orders',
    ]);
  });

  it('x+: x and everything downstream', () => {
    expect(select({ select: ['fct_orders+'] })).toEqual(['customer_ltv', 'daily_sales', 'fct_orders', LTV_TEST, ...FCT_TESTS].sort());
  });

  it('n+x and x+n: only n steps up or down', () => {
    expect(select({ select: ['1+fct_orders'], resourceTypes: ['model'] })).toEqual(['fct_orders', 'int_paid_orders']);
    expect(select({ select: ['2+fct_orders'], resourceTypes: ['model'] })).toEqual(['fct_orders', 'int_order_totals', 'int_paid_orders', 'stg_orders']);
    expect(select({ select: ['stg_orders+1'], resourceTypes: ['model'] })).toEqual(['int_paid_orders', 'stg_orders']);
  });

  it('@x: x, everything downstream, and everything those need', () => {
    const everythingButProducts = selectNodes(manifest)
      .selected.map((id) => getNode(manifest, id)!.name)
      .filter((name) => name !== 'source:shop.products')
      .sort();
    expect(select({ select: ['@int_order_totals'] })).toEqual(everythingButProducts);
  });

  it('returns the selection parents first', () => {
    const { selected } = selectNodes(manifest, { select: ['+daily_sales'], resourceTypes: ['model'] });
    expect(selected).toEqual([
      'model.shop.stg_order_items',
      'model.shop.int_order_totals',
      'model.shop.stg_orders',
      'model.shop.int_paid_orders',
      'model.shop.fct_orders',
      'model.shop.daily_sales',
    ]);
  });
});

describe('set operators', () => {
  it('space is a union', () => {
    expect(select({ select: ['stg_orders stg_customers'], resourceTypes: ['model'] })).toEqual(['stg_customers', 'stg_orders']);
  });

  it('repeated --select flags are a union too', () => {
    expect(select({ select: ['stg_orders', 'stg_customers'], resourceTypes: ['model'] })).toEqual(['stg_customers', 'stg_orders']);
  });

  it('comma is an intersection', () => {
    expect(select({ select: ['tag:marts,config.materialized:table'] })).toEqual([
      'dim_customers',
      LTV_TEST,
      'relationships_fct_orders_customer_id__customer_id__ref_dim_customers_',
    ]);
  });

  it('--exclude applies last, and takes the tests of excluded nodes with them', () => {
    expect(select({ select: ['tag:staging'], exclude: ['stg_orders'] })).toEqual([
      'int_order_totals',
      'int_paid_orders',
      'not_null_stg_customers_customer_id',
      'stg_customers',
      'stg_order_items',
      'unique_stg_customers_customer_id',
    ]);
  });

  it('--exclude takes graph operators and methods too', () => {
    expect(select({ select: ['+daily_sales'], exclude: ['source:* config.materialized:ephemeral'], resourceTypes: ['model', 'source'] })).toEqual([
      'daily_sales',
      'fct_orders',
      'stg_order_items',
      'stg_orders',
    ]);
  });
});

describe('indirect selection of tests', () => {
  it('eager (the default): tests with any selected parent', () => {
    expect(select({ select: ['customer_ltv'] })).toEqual(['customer_ltv', LTV_TEST]);
  });

  it('cautious: only tests whose parents are all selected', () => {
    expect(select({ select: ['customer_ltv'], indirectSelection: 'cautious' })).toEqual(['customer_ltv']);
    expect(select({ select: ['stg_orders'], indirectSelection: 'cautious' })).toEqual(
      ['stg_orders', ...ORDERS_TESTS.filter((name) => !name.startsWith('relationships'))].sort(),
    );
  });

  it('buildable: also tests whose other parents are upstream of the selection', () => {
    // dim_customers is upstream of customer_ltv, so the relationships test can run.
    expect(select({ select: ['customer_ltv'], indirectSelection: 'buildable' })).toEqual(['customer_ltv', LTV_TEST]);
    // stg_customers is not upstream of stg_orders.
    expect(select({ select: ['stg_orders'], indirectSelection: 'buildable' })).not.toContain(
      'relationships_stg_orders_customer_id__customer_id__ref_stg_customers_',
    );
  });

  it('empty: no tests unless selected directly', () => {
    expect(select({ select: ['stg_orders'], indirectSelection: 'empty' })).toEqual(['stg_orders']);
  });
});

describe('state: against a previous manifest', () => {
  const fctOrders = files.models.find((file) => file.path.endsWith('fct_orders.sql'))!;
  const changed = compile(
    edit(files, {
      models: { [fctOrders.path]: `${fctOrders.text}-- a comment changes the checksum\n`, 'models/reports/new_report.sql': 'select 1 as one' },
    }),
  );

  it('state:modified selects new models and models whose file changed', () => {
    expect(select({ select: ['state:modified'], state: manifest, resourceTypes: ['model'] }, changed)).toEqual(['fct_orders', 'new_report']);
  });

  it('state:new selects only new ones', () => {
    expect(select({ select: ['state:new'], state: manifest }, changed)).toEqual(['new_report']);
  });

  it('state:modified+ adds everything downstream', () => {
    expect(select({ select: ['state:modified+'], state: manifest, resourceTypes: ['model'] }, changed)).toEqual([
      'customer_ltv',
      'daily_sales',
      'fct_orders',
      'new_report',
    ]);
  });

  it('state:modified.configs notices a config change made elsewhere (pgshift.yml)', async () => {
    const { readFile } = await import('node:fs/promises');
    const yaml = (await readFile(files.project.file, 'utf8')).replace('+dist: customer_id', '+dist: city');
    const reconfigured = compile(edit(files, { pgshiftYml: yaml }));
    expect(select({ select: ['state:modified.configs'], state: manifest, resourceTypes: ['model'] }, reconfigured)).toEqual(['dim_customers']);
    expect(select({ select: ['state:modified.body'], state: manifest }, reconfigured)).toEqual([]);
  });

  it('state:modified.macros notices a changed macro a model calls', () => {
    const money = files.macros.find((file) => file.path === 'macros/money.sql')!;
    const remacroed = compile(
      edit(files, { macros: { [money.path]: money.text.replace('round(cast({{ amount }} as numeric), 2)', 'round({{ amount }}, 2)') } }),
    );
    expect(select({ select: ['state:modified.macros'], state: manifest, resourceTypes: ['model'] }, remacroed)).toEqual(['daily_sales', 'fct_orders']);
  });

  it('needs the previous manifest', () => {
    expect(() => selectNodes(manifest, { select: ['state:modified'] })).toThrow(
      new ConfigError("'state:modified' compares against a previous manifest; pass --state <dir holding manifest.json>"),
    );
  });
});

describe('result: against a previous run_results.json', () => {
  const previousResults = {
    results: [
      { unique_id: 'model.shop.fct_orders', status: 'error' },
      { unique_id: 'model.shop.daily_sales', status: 'skipped' },
      { unique_id: 'test.shop.unique_stg_orders_order_id', status: 'fail' },
      { unique_id: 'model.shop.stg_orders', status: 'success' },
    ],
  };

  it('result:error selects what failed last time; result:error+ reruns it and its children', () => {
    expect(select({ select: ['result:error'], previousResults, resourceTypes: ['model'] })).toEqual(['fct_orders']);
    expect(select({ select: ['result:error+', 'result:skipped'], previousResults, resourceTypes: ['model'] })).toEqual([
      'customer_ltv',
      'daily_sales',
      'fct_orders',
    ]);
  });

  it('result:fail selects failed tests', () => {
    expect(select({ select: ['result:fail'], previousResults })).toEqual(['unique_stg_orders_order_id']);
  });
});

describe('YAML selectors (selectors.yml)', () => {
  it('--selector runs a named CLI-style definition', () => {
    expect(select({ selector: 'staging_only', resourceTypes: ['model'] })).toEqual([
      'int_order_totals',
      'int_paid_orders',
      'stg_customers',
      'stg_order_items',
      'stg_orders',
    ]);
  });

  it('unions, full method/value entries with parents, and exclude entries', () => {
    // tag:marts, models/reports and their parents, minus incremental models and their tests.
    expect(select({ selector: 'nightly', resourceTypes: ['model', 'seed'] })).toEqual([
      'country_codes',
      'customer_ltv',
      'daily_sales',
      'dim_customers',
      'int_order_totals',
      'int_paid_orders',
      'stg_customers',
      'stg_order_items',
      'stg_orders',
    ]);
    expect(select({ selector: 'nightly' })).not.toContain('unique_fct_orders_order_id');
  });

  it('intersections with key-value entries (resource_type: model)', () => {
    expect(select({ selector: 'customer_models', indirectSelection: 'empty' })).toEqual(['customer_ltv', 'dim_customers', 'stg_customers']);
  });

  it('uses the selector marked default: true when nothing is selected', () => {
    const withDefault = compile(edit(files, { selectors: "selectors:\n  - name: everyday\n    default: true\n    definition: 'tag:core'\n" }));
    expect(select({ resourceTypes: ['model'] }, withDefault)).toEqual(['dim_customers', 'fct_orders']);
    // Any selection flag replaces the default, --exclude included.
    expect(select({ exclude: ['fct_orders'], resourceTypes: ['model'] }, withDefault)).toHaveLength(8);
  });

  it('names the known selectors when one is misspelt', () => {
    expect(() => selectNodes(manifest, { selector: 'nightyl' })).toThrow(
      new ConfigError("--selector nightyl: no such selector in selectors.yml; did you mean 'nightly'? (defined: nightly, staging_only, customer_models)"),
    );
  });

  it('cannot be combined with --select', () => {
    expect(() => selectNodes(manifest, { selector: 'nightly', select: ['stg_orders'] })).toThrow(
      new ConfigError('--select and --selector cannot be combined; put the selection in the selector or drop --selector'),
    );
  });

  it('can be referenced from --select as selector:name', () => {
    expect(select({ select: ['selector:staging_only,config.materialized:ephemeral'] })).toEqual(['int_order_totals', 'int_paid_orders']);
  });
});

describe('mistakes', () => {
  it('warns about a criterion that matches nothing and returns an empty selection', () => {
    expect(selectNodes(manifest, { select: ['tag:nightly'] })).toEqual({
      selected: [],
      exposures: [],
      warnings: ["The selection criterion 'tag:nightly' does not match any enabled nodes"],
    });
  });

  it('returns an empty selection without a warning of its own when an intersection or an exclude leaves nothing', () => {
    // The command says it has nothing to do, in dbt's words (plan-run and ls).
    expect(selectNodes(manifest, { select: ['stg_orders,dim_customers'] })).toEqual({ selected: [], exposures: [], warnings: [] });
    expect(selectNodes(manifest, { select: ['stg_orders'], exclude: ['stg_orders'] }).warnings).toEqual([]);
  });

  it('still selects what the other criteria match', () => {
    const result = selectNodes(manifest, { select: ['stg_orders tag:nightly'], resourceTypes: ['model'] });
    expect(result.selected).toEqual(['model.shop.stg_orders']);
    expect(result.warnings).toHaveLength(1);
  });

  it('rejects an unknown method, listing the valid ones', () => {
    expect(() => selectNodes(manifest, { select: ['tga:nightly'] })).toThrow(
      new ConfigError(
        "--select: unknown selector method 'tga' in 'tga:nightly' (did you mean 'tag'?); valid methods are fqn, path, file, tag, source, exposure, resource_type, config.<key>, state, result, test_name, test_type, package, selector",
      ),
    );
  });

  it('rejects an unknown resource type or state', () => {
    expect(() => selectNodes(manifest, { select: ['resource_type:exposure'] })).toThrow(
      new ConfigError("--select: 'resource_type:exposure' has an unknown resource_type value; use one of model, seed, snapshot, test, unit_test, source"),
    );
    expect(() => selectNodes(manifest, { select: ['state:modifed'], state: manifest })).toThrow(
      new ConfigError(
        "--select: 'state:modifed' has an unknown state value; use one of new, old, modified, unmodified, modified.body, modified.configs, modified.macros; did you mean 'modified'?",
      ),
    );
  });

  it('rejects @ combined with a leading +', () => {
    expect(() => selectNodes(manifest, { select: ['@+stg_orders'] })).toThrow(
      new ConfigError("--select: '@+stg_orders' combines @ with a leading +; use one of them"),
    );
  });
});
