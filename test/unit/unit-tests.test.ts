// dbt's unit tests as the compiler, the planner and the comparison see them: `unit_tests:`
// entries become unit_test nodes (or one clear line naming file and test), the model renders
// over the given rows, `build` runs a model's unit tests first, and the verdict compares rows
// as multisets whatever the driver's spelling of a value.

import { describe, expect, it } from 'vitest';
import type { ProjectFiles } from '../../src/compile/project-files.js';
import type { UnitTestNode } from '../../src/manifest/manifest.js';
import { planRun } from '../../src/run/plan-run.js';
import { canonical, describeDiff, diffRows } from '../../src/run/unit-test-diff.js';
import { givenInputSql, inferType } from '../../src/run/unit-test-given-sql.js';
import { bareProject, compile, compileCompiled } from './compile-fixture.js';

const MODELS = {
  'models/stg_orders.sql': `select order_id, customer_id, amount from {{ source('shop', 'orders') }}`,
  'models/stg_customers.sql': `select customer_id, name from {{ source('shop', 'customers') }}`,
  'models/revenue.sql': `select c.customer_id, sum(o.amount) as revenue
from {{ ref('stg_customers') }} c join {{ ref('stg_orders') }} o on o.customer_id = c.customer_id
group by c.customer_id`,
  'models/order_log.sql': `{{ config(materialized='incremental') }}
select order_id from {{ ref('stg_orders') }}{% if is_incremental() %} where order_id > (select max(order_id) from {{ this }}){% endif %}`,
};

const GIVEN_BOTH = `
    given:
      - input: ref('stg_customers')
        rows: [{customer_id: 1}]
      - input: ref('stg_orders')
        format: csv
        rows: |
          order_id,customer_id,amount
          1,1,
    expect:
      rows: [{customer_id: 1, revenue: null}]`;

async function project(unitTests: string, fixtures: ProjectFiles['fixtures'] = []): Promise<ProjectFiles> {
  const files = await bareProject(MODELS, { schemaFiles: { 'models/unit_tests.yml': `unit_tests:\n${unitTests}` } });
  return { ...files, fixtures };
}

const compileError = async (unitTests: string): Promise<string> => {
  try {
    compile(await project(unitTests));
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('compiled without an error');
};

describe('unit_tests: in a property file', () => {
  it('become unit_test nodes keyed unit_test.<project>.<model>.<name>, hanging off their model', async () => {
    const fixture = { path: 'tests/fixtures/customers.csv', text: 'customer_id,name\n1,anna\n' };
    const manifest = compile(
      await project(
        `  - name: adds_up
    model: revenue
    description: Revenue per customer.
    config: { tags: [finance] }
    given:
      - input: ref('stg_customers')
        format: csv
        fixture: customers
      - input: ref('stg_orders')
        format: sql
        rows: "select 1 as order_id, 1 as customer_id, 2.5 as amount;"
    expect:
      format: csv
      rows: |
        customer_id,revenue
        1,2.5
  - name: switched_off
    model: revenue
    config: { enabled: false }
${GIVEN_BOTH.replace(/^/gm, '')}`,
        [fixture],
      ),
    );
    const node = manifest.nodes['unit_test.shop.revenue.adds_up'] as UnitTestNode;
    expect(node).toMatchObject({
      resource_type: 'unit_test',
      name: 'adds_up',
      model: 'revenue',
      attached_node: 'model.shop.revenue',
      depends_on: { nodes: ['model.shop.revenue'], macros: [] },
      original_file_path: 'models/unit_tests.yml',
      fqn: ['shop', 'revenue', 'adds_up'],
      tags: ['finance'],
      description: 'Revenue per customer.',
    });
    expect(node.given).toEqual([
      { input: "ref('stg_customers')", node: 'model.shop.stg_customers', format: 'csv', rows: [{ customer_id: '1', name: 'anna' }], sql: null },
      { input: "ref('stg_orders')", node: 'model.shop.stg_orders', format: 'sql', rows: null, sql: 'select 1 as order_id, 1 as customer_id, 2.5 as amount' },
    ]);
    expect(node.expect).toEqual({ format: 'csv', rows: [{ customer_id: '1', revenue: '2.5' }], sql: null });
    expect(manifest.parent_map['unit_test.shop.revenue.adds_up']).toEqual(['model.shop.revenue']);
    expect(manifest.disabled['unit_test.shop.revenue.switched_off']?.resource_type).toBe('unit_test');
  });

  it('names the file and the test in one line when the model does not exist', async () => {
    expect(await compileError(`  - name: typo\n    model: revenu\n${GIVEN_BOTH}`)).toBe(
      "models/unit_tests.yml: unit_tests[0] (typo): model 'revenu' is not a model of this project; did you mean 'revenue'?",
    );
  });

  it('refuses an input the model does not read', async () => {
    expect(
      await compileError(`  - name: stray_input
    model: stg_customers
    given:
      - input: ref('stg_orders')
        rows: []
      - input: source('shop', 'customers')
        rows: []
    expect: { rows: [] }`),
    ).toBe(
      "models/unit_tests.yml: unit_tests[0] (stray_input): given[0]: ref('stg_orders') is not read by model stg_customers; give only its own ref() and source() inputs",
    );
  });

  it('asks for every ref and source the model reads, as dbt does (only seeds may be left out)', async () => {
    expect(
      await compileError(`  - name: half_given
    model: revenue
    given:
      - input: ref('stg_customers')
        rows: []
    expect: { rows: [] }`),
    ).toBe(
      "models/unit_tests.yml: unit_tests[0] (half_given): model revenue reads ref('stg_orders'), which given does not mock; add it to given (rows: [] for no rows)",
    );
  });

  it('reads a seed left out of given as it is, as dbt documents', async () => {
    const files = await bareProject(
      { 'models/labelled.sql': `select o.order_id, s.label from {{ source('shop', 'orders') }} o join {{ ref('status_labels') }} s on s.status = o.status` },
      {
        schemaFiles: {
          'models/unit_tests.yml': `unit_tests:\n  - name: labels\n    model: labelled\n    given: [{input: "source('shop', 'orders')", rows: []}]\n    expect: { rows: [] }`,
        },
      },
    );
    const manifest = compile({ ...files, seeds: [{ path: 'seeds/status_labels.csv', headerLine: 'status,label', checksum: 'x' }] });
    expect((manifest.nodes['unit_test.shop.labelled.labels'] as UnitTestNode).given.map((input) => input.node)).toEqual(['source.shop.orders']);
  });

  it('asks an incremental model which case it tests, and finds fixtures, keys and inputs checked', async () => {
    expect(await compileError(`  - name: no_case\n    model: order_log\n    given: [{input: ref('stg_orders'), rows: []}]\n    expect: { rows: [] }`)).toBe(
      'models/unit_tests.yml: unit_tests[0] (no_case): model order_log is incremental: set overrides: {macros: {is_incremental: true}} (or false for a first build)',
    );
    expect(
      await compileError(
        `  - name: missing_fixture\n    model: stg_orders\n    given: [{input: "source('shop', 'orders')", format: csv, fixture: nope}]\n    expect: { rows: [] }`,
      ),
    ).toBe("models/unit_tests.yml: unit_tests[0] (missing_fixture): given[0]: fixture 'nope' not found; put it in tests/fixtures/nope.csv");
    expect(await compileError(`  - name: typo_key\n    model: stg_orders\n    expect: { rows: [] }\n    overides: {}`)).toBe(
      "models/unit_tests.yml: unit_tests[0] (typo_key): unknown key overides; did you mean 'overrides'?",
    );
    expect(await compileError(`  - name: bad_input\n    model: stg_orders\n    given: [{input: orders, rows: []}]\n    expect: { rows: [] }`)).toBe(
      "models/unit_tests.yml: unit_tests[0] (bad_input): given[0]: input must be ref('model'), source('source', 'table') or this, got 'orders'",
    );
  });
});

describe('rendering a model over given rows', () => {
  it('reads each given ref(), source() and this from a CTE the query starts with', async () => {
    const compiled = compileCompiled(await bareProject(MODELS));
    const revenue = compiled.render('model.shop.revenue', {
      givenInputs: { 'model.shop.stg_customers': 'select 1 as customer_id', 'model.shop.stg_orders': 'select 2 as order_id' },
    });
    expect(revenue.compiled_code).toBe(`with "__pgshift_given__stg_customers" as (
select 1 as customer_id
),
"__pgshift_given__stg_orders" as (
select 2 as order_id
)
select c.customer_id, sum(o.amount) as revenue
from "__pgshift_given__stg_customers" c join "__pgshift_given__stg_orders" o on o.customer_id = c.customer_id
group by c.customer_id`);
    const staged = compiled.render('model.shop.stg_orders', { givenInputs: { 'source.shop.orders': 'select 1 as order_id' } });
    expect(staged.compiled_code).toContain('from "__pgshift_given__shop__orders"');
    const log = compiled.render('model.shop.order_log', {
      isIncremental: true,
      givenInputs: { 'model.shop.stg_orders': 'select 1', 'model.shop.order_log': 'select 0 as order_id' },
    });
    expect(log.compiled_code).toContain('where order_id > (select max(order_id) from "__pgshift_given__order_log")');
    // Without the facts, the same model renders against the warehouse's relations.
    expect(compiled.render('model.shop.revenue').compiled_code).not.toContain('__pgshift_given__');
  });

  it('types the given rows from the relation when it exists, from the values otherwise, values as parameters', () => {
    const given = { input: "ref('x')", node: 'model.shop.x', format: 'dict' as const, rows: [{ id: 1, note: "it's" }, { id: 2 }], sql: null };
    expect(
      givenInputSql(
        given,
        [
          { name: 'id', type: 'bigint' },
          { name: 'note', type: 'character varying(20)' },
          { name: 'extra', type: 'date' },
        ],
        'redshift',
        3,
        'w',
      ),
    ).toEqual({
      sql: `select cast($3 as bigint) as "id", cast($4 as character varying(20)) as "note", cast(null as date) as "extra"
union all
select cast($5 as bigint) as "id", cast(null as character varying(20)) as "note", cast(null as date) as "extra"`,
      params: ['1', "it's", '2'],
    });
    expect(givenInputSql(given, undefined, 'postgres', 1, 'w').sql).toContain('cast($2 as text) as "note"');
    expect(() => givenInputSql(given, [{ name: 'id', type: 'int' }], 'postgres', 1, 'models/u.yml: given[0]')).toThrow(
      "models/u.yml: given[0]: ref('x') has no column 'note' (its columns: id)",
    );
    expect(givenInputSql({ ...given, rows: [] }, [{ name: 'id', type: 'int' }], 'postgres', 1, 'w').sql).toBe('select cast(null as int) as "id" where 1 = 0');
    expect(inferType([1, 2], false, 'postgres')).toBe('integer');
    expect(inferType([1.5, 2.25], false, 'redshift')).toBe('numeric(38, 2)');
    expect(inferType(['1', '2'], false, 'postgres')).toBe('text');
    expect(inferType(['1', '2'], true, 'postgres')).toBe('integer');
    expect(inferType(['2024-01-02', null], false, 'postgres')).toBe('date');
    expect(inferType(['x'], false, 'redshift')).toBe('varchar(65535)');
  });
});

describe('the verdict', () => {
  it('compares as multisets over the expected columns, naming missing and unexpected rows', () => {
    const expected = [
      { id: 1, total: 10 },
      { id: 1, total: 10 },
      { id: 2, total: 5 },
    ];
    const actual = [
      { id: '1', total: '10.00', extra: 'x' },
      { id: 2, total: '5.0' },
      { id: 3, total: '1' },
    ];
    const diff = diffRows(['id', 'total'], expected, actual);
    expect(diff).toEqual({ missing: [{ id: 1, total: 10 }], unexpected: [{ id: 3, total: '1' }] });
    expect(describeDiff(diff, ['id', 'total'])).toBe('1 expected row(s) missing, 1 unexpected row(s)\n  - {id: 1, total: 10}\n  + {id: 3, total: 1}');
    expect(diffRows(['a'], [{ a: 1 }], [{ a: 1 }])).toEqual({ missing: [], unexpected: [] });
  });

  it('reads values by meaning: numbers, booleans, timestamps, nulls', () => {
    expect(canonical('0010.500')).toBe(canonical(10.5));
    expect(canonical(true)).toBe(canonical('true'));
    expect(canonical('2024-01-02T03:04:00.000Z')).toBe(canonical('2024-01-02 03:04:00'));
    expect(canonical('2024-01-02 03:04:00+00')).toBe(canonical('2024-01-02 03:04'));
    expect(canonical(null)).toBe(canonical(undefined));
    expect(canonical('10')).not.toBe(canonical('10.1'));
    expect(canonical('-0.0')).toBe('0');
  });
});

describe('planning', () => {
  const UNIT = `  - name: adds_up\n    model: revenue\n${GIVEN_BOTH}`;

  it('build runs a model’s unit tests before the model, which waits for them; run leaves them out', async () => {
    const manifest = compile(await project(UNIT));
    const build = planRun(manifest, { command: 'build' });
    const id = 'unit_test.shop.revenue.adds_up';
    expect(build.order.indexOf(id)).toBe(build.order.indexOf('model.shop.revenue') - 1);
    expect(build.parentsOf['model.shop.revenue']).toContain(id);
    expect(build.parentsOf[id]).toEqual(['model.shop.stg_customers', 'model.shop.stg_orders']);
    expect(planRun(manifest, { command: 'run' }).order).not.toContain(id);
    expect(planRun(manifest, { command: 'test', select: ['test_type:unit'] }).order).toEqual([id]);
    expect(planRun(manifest, { command: 'test', select: ['test_type:data'] }).order).not.toContain(id);
    expect(planRun(manifest, { command: 'test', select: ['revenue'] }).order).toEqual([id]);
  });
});
