// How models, seeds and data tests are built in the warehouse, shown as the SQL each plan sends.
// Golden files under test/goldens/materializations/<dialect>/<case>.sql hold the full SQL per
// dialect; UPDATE_GOLDENS=1 rewrites them after an intended change. Plans are pure, so the facts
// a build reads from the warehouse (what exists, which columns) are handed in here.

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ModelNode, TestNode } from '../../src/manifest/manifest.js';
import { type ConfigLayer, resolveModelConfig } from '../../src/manifest/node-config.js';
import { modelNode, seedNode, testNode } from '../support/manifest-nodes.js';
import { CompileError, ConfigError } from '../../src/errors.js';
import { type BuildTarget, buildTarget, createSchemaStep } from '../../src/run/materializations/build-target.js';
import { dataTestQuery, judge, runDataTest } from '../../src/run/materializations/data-test.js';
import { planIncrementalApply, planIncrementalStage } from '../../src/run/materializations/incremental-plan.js';
import { materialize } from '../../src/run/materializations/index.js';
import { SchemaChangeError } from '../../src/run/materializations/materialization-error.js';
import { MAX_PARTITIONS, partitionSpec, periodsQuery, planPartitionedBuild, planPartitionStage } from '../../src/run/materializations/partition-plan.js';
import { periodPartition } from '../../src/run/materializations/partition-periods.js';
import { renderPlan, runSteps, type PlanStep } from '../../src/run/materializations/plan-step.js';
import { redshiftTableAttributes } from '../../src/run/materializations/redshift-table-attributes.js';
import { backupName, derivedName, stagingName, tmpName } from '../../src/run/materializations/relation-names.js';
import { diffColumns } from '../../src/run/materializations/schema-change.js';
import { parseCsv } from '../../src/util/seed-csv.js';
import { planSeedLoad, planSeedSwap } from '../../src/run/materializations/seed-plan.js';
import { readSeed } from '../../src/run/materializations/seed.js';
import { inferType } from '../../src/run/materializations/seed-types.js';
import { planSwap, planTableBuild } from '../../src/run/materializations/table-plan.js';
import { planView } from '../../src/run/materializations/view-plan.js';
import type { Dialect, ExecuteResult, Statement, Warehouse, WarehouseColumn } from '../../src/warehouse/warehouse.js';

const GOLDENS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../goldens/materializations');
const update = process.env.UPDATE_GOLDENS === '1';

const ORDERS_SQL = `select order_id, customer_id, order_date, status, amount
from "staging"."stg_orders"
-- the select may end in a comment;`;

const model = (name: string, config: ConfigLayer, sql = ORDERS_SQL): ModelNode => modelNode(name, config, { sql });
const seed = seedNode;
const dataTest = (sql: string, config: ConfigLayer = {}): TestNode => testNode(sql, config, 'not_null_orders_id');
const target = (dialect: Dialect, node: ModelNode): BuildTarget => buildTarget(dialect, node, node.compiled_code);
const cols = (...pairs: Array<[string, string]>): WarehouseColumn[] => pairs.map(([name, type]) => ({ name, type }));
const note = (text: string) => `-- ${text}\n`;

const ORDER_COLUMNS = cols(
  ['order_id', 'bigint'],
  ['customer_id', 'bigint'],
  ['order_date', 'date'],
  ['status', 'character varying(20)'],
  ['amount', 'numeric(12,2)'],
);

/** The full SQL of an incremental run on an existing table, given both column lists. */
function incrementalRun(dialect: Dialect, node: ModelNode, existing: WarehouseColumn[], incoming: WarehouseColumn[]): string {
  const t = target(dialect, node);
  return (
    renderPlan([createSchemaStep(t.schema), ...planIncrementalStage(t)]) +
    '\n' +
    note(`then, with the columns of ${t.alias} and ${stagingName(dialect, t.alias)} read from the catalog:`) +
    renderPlan(planIncrementalApply(t, existing, incoming))
  );
}

function tableBuild(dialect: Dialect, node: ModelNode, existing: 'table' | 'view' | undefined): string {
  const t = target(dialect, node);
  const build = planTableBuild(t);
  return (
    renderPlan([createSchemaStep(t.schema), ...build.steps]) +
    '\n' +
    note(`then, ${existing ? `replacing the existing ${existing}` : 'with nothing there yet'}:`) +
    renderPlan([planSwap(t, existing, build.afterSwap)])
  );
}

const GOLDEN_CASES: Record<string, (dialect: Dialect) => string> = {
  view: (dialect) => {
    const plan = planView(target(dialect, model('customer_orders', { materialized: 'view' })), 'view');
    return (
      renderPlan([createSchemaStep('analytics'), ...plan.steps]) +
      '\n' +
      note('when CREATE OR REPLACE refuses the new column list:') +
      renderPlan(plan.fallback)
    );
  },
  'view-bind': (dialect) => {
    const plan = planView(target(dialect, model('customer_orders', { materialized: 'view', bind: true })), 'table');
    return note('bind: true, replacing what used to be a table:') + renderPlan([createSchemaStep('analytics'), ...plan.steps]);
  },
  table: (dialect) => tableBuild(dialect, model('fct_orders', { materialized: 'table' }), 'table'),
  'table-dist-sort': (dialect) =>
    tableBuild(
      dialect,
      model('fct_orders', {
        materialized: 'table',
        dist: 'customer_id',
        sort: ['order_date', 'order_id'],
        sort_type: 'compound',
        indexes: [{ columns: ['order_id'] }],
      }),
      'table',
    ),
  'table-indexes': (dialect) =>
    tableBuild(
      dialect,
      model('fct_orders', {
        materialized: 'table',
        dist: 'all',
        indexes: [{ columns: ['order_id'], unique: true }, { columns: ['customer_id', 'order_date'] }, { columns: ['order_date'], type: 'brin' }],
      }),
      'view',
    ),
  'table-partitioned': (dialect) => {
    const node = model('fct_orders', {
      materialized: 'table',
      partition_by: { field: 'order_date', data_type: 'date', granularity: 'month' },
      indexes: [{ columns: ['order_id', 'order_date'], unique: true }],
    });
    if (dialect === 'redshift')
      return note('partition_by and indexes are PostgreSQL settings; Redshift builds a plain table:') + tableBuild(dialect, node, 'table');
    const t = target(dialect, node);
    const spec = partitionSpec(t, ORDER_COLUMNS);
    const build = planPartitionedBuild(t, spec, ['2024-01-01 00:00:00', '2024-02-01 00:00:00', '2024-12-01 00:00:00']);
    return (
      renderPlan([createSchemaStep(t.schema), ...planPartitionStage(t)]) +
      '\n' +
      note('then the periods present in the staged rows:') +
      `${periodsQuery(t, spec)};\n\n` +
      note('which found 2024-01, 2024-02 and 2024-12:') +
      renderPlan([...build.steps, planSwap(t, 'table', build.afterSwap)])
    );
  },
  'incremental-first-run': (dialect) =>
    note('first run: nothing exists, so the model is built like a table') +
    tableBuild(dialect, model('fct_orders', { materialized: 'incremental', unique_key: 'order_id' }), undefined),
  'incremental-merge': (dialect) =>
    incrementalRun(
      dialect,
      model('fct_orders', { materialized: 'incremental', incremental_strategy: 'merge', unique_key: 'order_id' }),
      ORDER_COLUMNS,
      ORDER_COLUMNS,
    ),
  'incremental-delete-insert': (dialect) =>
    incrementalRun(
      dialect,
      model('fct_orders', { materialized: 'incremental', incremental_strategy: 'delete+insert', unique_key: ['order_id', 'order_date'] }),
      ORDER_COLUMNS,
      ORDER_COLUMNS,
    ),
  'incremental-append': (dialect) =>
    incrementalRun(dialect, model('fct_orders', { materialized: 'incremental', incremental_strategy: 'append' }), ORDER_COLUMNS, ORDER_COLUMNS),
  'on-schema-change-append': (dialect) =>
    note('the model gained `discount` and lost `status`') +
    incrementalRun(
      dialect,
      model('fct_orders', { materialized: 'incremental', unique_key: 'order_id', on_schema_change: 'append_new_columns' }),
      ORDER_COLUMNS,
      [...ORDER_COLUMNS.filter((column) => column.name !== 'status'), { name: 'discount', type: 'numeric(5,2)' }],
    ),
  'on-schema-change-sync': (dialect) =>
    note('the model gained `discount`, lost `customer_id`, widened `status` and made `amount` double precision') +
    incrementalRun(
      dialect,
      model('fct_orders', { materialized: 'incremental', incremental_strategy: 'merge', unique_key: 'order_id', on_schema_change: 'sync_all_columns' }),
      ORDER_COLUMNS,
      cols(['order_id', 'bigint'], ['order_date', 'date'], ['status', 'character varying(40)'], ['amount', 'double precision'], ['discount', 'numeric(5,2)']),
    ),
  seed: (dialect) => {
    const node = seed('country_codes', ['Code', 'name', 'population', 'area_km2', 'eu_member', 'joined_on', 'updated_at']);
    const csv =
      'Code,name,population,area_km2,eu_member,joined_on,updated_at\nDE,Germany,83200000,357588.5,true,1958-01-01,2024-03-01T10:00:00\nNO,"Norway, Kingdom of",5500000,385207,false,,2024-03-01 11:30:00\nIS,Ísland,,103000,FALSE,,\n';
    const { columns, rows } = readSeed(node, csv, dialect);
    const t = { dialect, model: node.unique_id, schema: node.schema, alias: node.alias };
    return (
      renderPlan([createSchemaStep(node.schema), ...planSeedLoad(t, columns, rows)]) +
      '\n' +
      note('then, replacing the existing table:') +
      renderPlan([planSeedSwap(t, 'table')])
    );
  },
};

describe('golden SQL of every materialization', () => {
  for (const dialect of ['postgres', 'redshift'] as const) {
    for (const [name, render] of Object.entries(GOLDEN_CASES)) {
      it(`${dialect}: ${name} matches test/goldens/materializations/${dialect}/${name}.sql`, async () => {
        const file = path.join(GOLDENS, dialect, `${name}.sql`);
        const actual = render(dialect);
        if (update) {
          await mkdir(path.dirname(file), { recursive: true });
          await writeFile(file, actual);
        }
        const expected = await readFile(file, 'utf8').catch(() => '(missing: run with UPDATE_GOLDENS=1)\n');
        expect(actual).toBe(expected);
      });
    }
  }
});

describe('identifiers in generated SQL', () => {
  const hostile = 'last_name"; drop table users; --';

  it('quotes a hostile column, alias and schema everywhere they appear', () => {
    const node = {
      ...model('orders', { materialized: 'incremental', incremental_strategy: 'merge', unique_key: hostile, indexes: [{ columns: [hostile] }] }),
      alias: `x"y`,
      schema: 's"; drop schema s; --',
    };
    const t = target('postgres', node);
    const sql = renderPlan([
      ...planIncrementalStage(t),
      ...planIncrementalApply(t, cols([hostile, 'text'], ['b', 'int']), cols([hostile, 'text'], ['b', 'int'], ['c"', 'int'])),
    ]);
    expect(sql).toContain('"last_name""; drop table users; --"');
    expect(sql).toContain('"s""; drop schema s; --"."x""y"');
    expect(sql).not.toMatch(/[^"]"; drop table users/);
    const build = planTableBuild(t);
    expect(renderPlan(build.steps)).toContain('using btree ("last_name""; drop table users; --")');
  });
});

describe('helper relation names', () => {
  it('keeps temporary, backup and staging names distinct and within 63 bytes for a long alias', () => {
    const alias = 'a_very_long_model_alias_that_is_already_close_to_the_limit_xyz';
    const names = [alias, tmpName('postgres', alias), backupName('postgres', alias), stagingName('postgres', alias)];
    expect(new Set(names).size).toBe(4);
    for (const name of names) expect(Buffer.byteLength(name)).toBeLessThanOrEqual(63);
    expect(tmpName('postgres', alias)).toMatch(/__pgshift_tmp$/);
  });

  it('never splits a multi-byte character when shortening', () => {
    const name = derivedName('postgres', 'ü'.repeat(40), '__pgshift_backup');
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(63);
    expect(name).not.toContain('\uFFFD');
  });

  it('leaves short names as they are, and uses Redshift’s 127-byte limit there', () => {
    expect(tmpName('postgres', 'orders')).toBe('orders__pgshift_tmp');
    expect(backupName('redshift', 'x'.repeat(100))).toBe(`${'x'.repeat(100)}__pgshift_backup`);
  });
});

describe('Redshift table attributes', () => {
  const attributes = (config: ConfigLayer) => redshiftTableAttributes(resolveModelConfig(config), 'model.shop.m');

  it('reads dist as a style (all, even, auto) or else as the key column', () => {
    expect(attributes({ dist: 'ALL' })).toBe(' diststyle all');
    expect(attributes({ dist: 'even' })).toBe(' diststyle even');
    expect(attributes({ dist: 'customer_id' })).toBe(' diststyle key distkey ("customer_id")');
  });

  it('writes a compound sort key unless sort_type says interleaved', () => {
    expect(attributes({ sort: 'created_at' })).toBe(' compound sortkey ("created_at")');
    expect(attributes({ sort: ['a', 'b'], sort_type: 'interleaved' })).toBe(' interleaved sortkey ("a", "b")');
    expect(attributes({})).toBe('');
  });

  it('refuses an interleaved sort key of more than 8 columns', () => {
    expect(() => attributes({ sort: 'abcdefghi'.split(''), sort_type: 'interleaved' })).toThrow(/at most 8 columns/);
  });
});

describe('PostgreSQL indexes and partitions', () => {
  it('refuses an index type PostgreSQL does not have', () => {
    expect(() => planTableBuild(target('postgres', model('m', { materialized: 'table', indexes: [{ columns: ['a'], type: 'bitmap' }] })))).toThrow(ConfigError);
  });

  it('gives the same index the same name on every build, and different definitions different names', () => {
    const sqlOf = (indexes: ConfigLayer['indexes']) => renderPlan(planTableBuild(target('postgres', model('m', { materialized: 'table', indexes }))).steps);
    expect(sqlOf([{ columns: ['a'] }])).toBe(sqlOf([{ columns: ['a'] }]));
    const plain = /create index "([^"]+)"/.exec(sqlOf([{ columns: ['a'] }]))![1];
    const unique = /create unique index "([^"]+)"/.exec(sqlOf([{ columns: ['a'], unique: true }]))![1];
    expect(plain).not.toBe(unique);
  });

  it('checks partition_by against the staged columns', () => {
    const partitioned = (partition_by: unknown, indexes: unknown[] = []) =>
      target('postgres', model('m', { materialized: 'table', partition_by, indexes } as ConfigLayer));
    expect(() => partitionSpec(partitioned({ field: 'missing' }), ORDER_COLUMNS)).toThrow(/not a column of the model/);
    expect(() => partitionSpec(partitioned({ field: 'status' }), ORDER_COLUMNS)).toThrow(/must be a date or timestamp column; it is character varying/);
    expect(() => partitionSpec(partitioned({ field: 'order_date', granularity: 'hour' }), ORDER_COLUMNS)).toThrow(/needs a timestamp column/);
    expect(() => partitionSpec(partitioned('order_date', [{ columns: ['order_id'], unique: true }]), ORDER_COLUMNS)).toThrow(
      /must include the partition column/,
    );
    expect(partitionSpec(partitioned('order_date'), ORDER_COLUMNS)).toEqual({ field: 'order_date', granularity: 'day', bound: 'date' });
    expect(partitionSpec(partitioned({ field: 'at', granularity: 'hour' }), cols(['at', 'timestamp with time zone']))).toEqual({
      field: 'at',
      granularity: 'hour',
      bound: 'timestamp',
    });
  });

  it(`stops at ${MAX_PARTITIONS} partitions and asks for a coarser granularity`, () => {
    const t = target('postgres', model('m', { materialized: 'table', partition_by: 'order_date' }));
    const days = Array.from({ length: MAX_PARTITIONS + 1 }, (_, day) => `${new Date(Date.UTC(2020, 0, 1 + day)).toISOString().slice(0, 10)} 00:00:00`);
    expect(() => planPartitionedBuild(t, { field: 'order_date', granularity: 'day', bound: 'date' }, days)).toThrow(/coarser granularity/);
  });

  it('computes period bounds across month, year and leap-day edges', () => {
    expect(periodPartition('2024-12-01 00:00:00', 'month', 'date')).toEqual({ from: '2024-12-01', to: '2025-01-01', suffix: '2024_12' });
    expect(periodPartition('2024-02-28 00:00:00', 'day', 'date')).toEqual({ from: '2024-02-28', to: '2024-02-29', suffix: '2024_02_28' });
    expect(periodPartition('2024-02-29 00:00:00', 'day', 'timestamp')).toEqual({
      from: '2024-02-29 00:00:00',
      to: '2024-03-01 00:00:00',
      suffix: '2024_02_29',
    });
    expect(periodPartition('2024-03-10 23:00:00', 'hour', 'timestamp')).toEqual({
      from: '2024-03-10 23:00:00',
      to: '2024-03-11 00:00:00',
      suffix: '2024_03_10_23',
    });
    expect(periodPartition('0099-01-01 00:00:00', 'year', 'date')).toEqual({ from: '0099-01-01', to: '0100-01-01', suffix: '0099' });
  });
});

describe('on_schema_change', () => {
  const incremental = (on_schema_change: string, unique_key?: string) =>
    target('postgres', model('fct_orders', { materialized: 'incremental', on_schema_change, ...(unique_key ? { unique_key } : {}) } as ConfigLayer));
  const existing = cols(['id', 'bigint'], ['status', 'text'], ['legacy', 'text']);
  const incoming = cols(['id', 'bigint'], ['status', 'text'], ['discount', 'numeric']);

  it('tells added, removed and retyped columns apart', () => {
    expect(diffColumns(existing, cols(['id', 'integer'], ['status', 'text'], ['new', 'date']))).toEqual({
      added: [{ name: 'new', type: 'date' }],
      removed: [{ name: 'legacy', type: 'text' }],
      changed: [{ name: 'id', from: 'bigint', to: 'integer' }],
    });
  });

  it('fail: refuses to run and names the columns that came and went', () => {
    expect(() => planIncrementalApply(incremental('fail'), existing, incoming)).toThrow(SchemaChangeError);
    expect(() => planIncrementalApply(incremental('fail'), existing, incoming)).toThrow(/new in the model: discount; gone from the model: legacy/);
  });

  it('ignore: writes only the columns the table and the model share', () => {
    const sql = renderPlan(planIncrementalApply(incremental('ignore'), existing, incoming));
    expect(sql).toContain('insert into "analytics"."fct_orders" ("id", "status")');
    expect(sql).not.toContain('alter table');
  });

  it('append_new_columns: adds the new column and leaves the old one', () => {
    const sql = renderPlan(planIncrementalApply(incremental('append_new_columns'), existing, incoming));
    expect(sql).toContain('alter table "analytics"."fct_orders" add column "discount" numeric;');
    expect(sql).not.toContain('drop column');
    expect(sql).toContain('("id", "status", "discount")');
  });

  it('sync_all_columns: keeps a wider varchar rather than cutting values', () => {
    const t = target('postgres', model('m', { materialized: 'incremental', on_schema_change: 'sync_all_columns' }));
    const sql = renderPlan(planIncrementalApply(t, cols(['a', 'character varying(40)']), cols(['a', 'character varying(10)'])));
    expect(sql).not.toContain('alter column');
  });

  it('sync_all_columns on Redshift: refuses to drop a DISTKEY or SORTKEY column and re-encodes before widening', () => {
    const t = target('redshift', model('m', { materialized: 'incremental', on_schema_change: 'sync_all_columns' }));
    const key = (storage: { encoding?: string; distKey: boolean; sortKey: number }) => storage;
    const distkey = [
      { name: 'id', type: 'bigint', storage: key({ distKey: true, sortKey: 0 }) },
      { name: 'a', type: 'integer' },
    ];
    expect(() => planIncrementalApply(t, distkey, cols(['a', 'integer']))).toThrow(
      /column id is gone from the model, but it is the DISTKEY of analytics\.m and Redshift cannot drop it; run the model with --full-refresh/,
    );
    const sortkey = [
      { name: 'at', type: 'date', storage: key({ distKey: false, sortKey: 1 }) },
      { name: 'a', type: 'integer' },
    ];
    expect(() => planIncrementalApply(t, sortkey, cols(['a', 'integer']))).toThrow(/SORTKEY/);
    const bytedict = [{ name: 's', type: 'character varying(10)', storage: key({ encoding: 'bytedict', distKey: false, sortKey: 0 }) }];
    const sql = renderPlan(planIncrementalApply(t, bytedict, cols(['s', 'character varying(40)'])));
    expect(sql.indexOf('alter column "s" encode zstd')).toBeGreaterThan(-1);
    expect(sql.indexOf('alter column "s" encode zstd')).toBeLessThan(sql.indexOf('alter column "s" type character varying(40)'));
    const lzo = [{ name: 's', type: 'character varying(10)', storage: key({ encoding: 'lzo', distKey: false, sortKey: 0 }) }];
    expect(renderPlan(planIncrementalApply(t, lzo, cols(['s', 'character varying(40)'])))).not.toContain('encode');
  });

  it('refuses a unique_key that is not a column of both', () => {
    expect(() => planIncrementalApply(incremental('ignore', 'discount'), existing, incoming)).toThrow(/unique_key column\(s\) discount/);
  });

  it('treats merge and delete+insert without a unique_key as inserts, as dbt does', () => {
    const t = target('postgres', model('m', { materialized: 'incremental', incremental_strategy: 'merge' }));
    const sql = renderPlan(planIncrementalApply(t, existing, existing));
    expect(sql).not.toContain('merge into');
    expect(sql).toContain('insert into');
  });
});

describe('seed CSV', () => {
  it('reads quoted commas, doubled quotes and line breaks inside quotes (RFC 4180)', () => {
    const records = parseCsv('id,note\r\n1,"a, ""quoted""\r\nsecond line"\r\n2,plain\r\n');
    expect(records).toEqual([
      { line: 1, fields: ['id', 'note'] },
      { line: 2, fields: ['1', 'a, "quoted"\r\nsecond line'] },
      { line: 4, fields: ['2', 'plain'] },
    ]);
  });

  it('reads an empty field as NULL and a quoted empty field as an empty string', () => {
    expect(parseCsv('a,b,c\n,"",x\n').at(1)!.fields).toEqual([null, '', 'x']);
    expect(parseCsv('a,b\n1,\n').at(1)!.fields).toEqual(['1', null]);
  });

  it('skips blank lines, a byte-order mark and a missing final newline, with any delimiter', () => {
    expect(parseCsv('\uFEFFa,b\n\n1,2').map((record) => record.fields)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(parseCsv('\uFEFFa;b\n\n1;2', ';').map((record) => record.fields)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('names the line of an unclosed quote or stray text after a quote', () => {
    expect(() => parseCsv('a\n"open\n')).toThrow(/opened on line 2 is never closed/);
    expect(() => parseCsv('a\n"x"y\n')).toThrow(/line 2: unexpected "y" after a closing quote/);
  });

  it('reports a row with the wrong number of fields with file and line', () => {
    expect(() => readSeed(seed('codes', ['a', 'b']), 'a,b\n1,2\n3\n', 'postgres')).toThrow(CompileError);
    expect(() => readSeed(seed('codes', ['a', 'b']), 'a,b\n1,2\n3\n', 'postgres')).toThrow('seeds/codes.csv:3: the row has 1 fields; the header has 2');
  });

  it('folds unquoted column names to lower case as the warehouse would, and keeps them with quote_columns', () => {
    expect(readSeed(seed('codes', ['Code', 'Name']), 'Code,Name\n', 'postgres').columns.map((column) => column.name)).toEqual(['code', 'name']);
    expect(readSeed(seed('codes', ['Code'], { quote_columns: true }), 'Code\n', 'postgres').columns.map((column) => column.name)).toEqual(['Code']);
    expect(() => readSeed(seed('codes', ['ID', 'id']), 'ID,id\n', 'postgres')).toThrow(/both become column "id"/);
  });

  it('takes column_types over inference', () => {
    expect(readSeed(seed('codes', ['zip'], { column_types: { zip: 'varchar(5)' } }), 'zip\n12345\n', 'postgres').columns).toEqual([
      { name: 'zip', type: 'varchar(5)' },
    ]);
  });
});

describe('seed type inference', () => {
  const infer = (dialect: Dialect, ...values: Array<string | null>) =>
    inferType(
      values.map((value, index) => ({ value, line: index + 2 })),
      dialect,
    );

  it('chooses the narrowest type every value fits', () => {
    expect(infer('postgres', '1', '-20', null)).toBe('integer');
    expect(infer('postgres', '2147483647', '-2147483648')).toBe('integer');
    expect(infer('postgres', '1', '2147483648')).toBe('bigint');
    expect(infer('redshift', '-2147483649')).toBe('bigint');
    expect(infer('postgres', '1', '2.50')).toBe('numeric');
    expect(infer('postgres', '1', '2.5e3')).toBe('double precision');
    expect(infer('postgres', 'true', 'False')).toBe('boolean');
    expect(infer('postgres', '2024-02-29')).toBe('date');
    expect(infer('postgres', '2024-02-29', '2024-03-01T08:00:00.123')).toBe('timestamp');
    expect(infer('postgres', '2024-03-01T08:00:00Z', '2024-03-01 08:00:00+02:00')).toBe('timestamp with time zone');
    expect(infer('postgres', '1', 'x')).toBe('text');
    expect(infer('postgres', null, null)).toBe('text');
  });

  it('keeps leading zeros, impossible dates and huge integers from becoming wrong numbers or dates', () => {
    expect(infer('postgres', '01234')).toBe('text');
    expect(infer('postgres', '2023-02-29')).toBe('text');
    expect(infer('postgres', '99999999999999999999')).toBe('numeric');
    expect(infer('redshift', '99999999999999999999')).toBe('numeric(20,0)');
  });

  it('sizes Redshift varchar and numeric to the data', () => {
    expect(infer('redshift', 'Ísland', 'NO')).toBe('varchar(7)');
    expect(infer('redshift', null)).toBe('varchar(256)');
    expect(infer('redshift', '-12.5', '0.125', '300')).toBe('numeric(6,3)');
    expect(infer('redshift', '2024-03-01T08:00:00Z')).toBe('timestamptz');
    expect(() => infer('redshift', 'x'.repeat(70_000))).toThrow(/more than a Redshift VARCHAR holds/);
  });

  it('splits inserts to stay under PostgreSQL’s parameter limit and the Data API’s statement size', () => {
    const t = { dialect: 'postgres' as const, model: 'seed.shop.s', schema: 'reference', alias: 's' };
    const columns = Array.from({ length: 200 }, (_, index) => ({ name: `c${index}`, type: 'text' }));
    const rows = Array.from({ length: 1000 }, () => columns.map(() => 'v'));
    const inserts = planSeedLoad(t, columns, rows)
      .flatMap((step) => step.statements)
      .filter((statement) => statement.countsRows);
    for (const insert of inserts) expect(insert.params!.length).toBeLessThanOrEqual(65535);
    expect(inserts.reduce((sum, insert) => sum + insert.params!.length, 0)).toBe(200_000);
    const wide = planSeedLoad(
      { ...t, dialect: 'redshift' },
      [{ name: 'v', type: 'varchar(1000)' }],
      Array.from({ length: 500 }, () => ['y'.repeat(1000)]),
    );
    const redshiftInserts = wide.flatMap((step) => step.statements).filter((statement) => statement.countsRows);
    expect(redshiftInserts.length).toBeGreaterThan(1);
    for (const insert of redshiftInserts) expect(insert.sql.length + insert.params!.join('').length).toBeLessThan(100_000);
  });
});

describe('data tests', () => {
  it('counts failing rows, with limit around the test query', () => {
    const sql = dataTestQuery(dataTest('select * from orders where id is null;', { limit: 5 }));
    expect(sql).toContain('select count(*) as failures');
    expect(sql).toContain('select * from (\nselect * from orders where id is null\n) as limited_test limit 5');
    expect(sql).toContain('failures != 0 as should_warn');
  });

  it('judges like dbt: error_if first for severity error, warn_if only for severity warn', () => {
    expect(judge('error', true, true)).toBe('fail');
    expect(judge('error', true, false)).toBe('warn');
    expect(judge('error', false, false)).toBe('pass');
    expect(judge('warn', true, true)).toBe('warn');
    expect(judge('warn', false, true)).toBe('pass');
  });

  it('reads the verdict the warehouse computed', async () => {
    const warehouse = fakeWarehouse({ query: [{ failures: '12', should_warn: true, should_error: false }] });
    const result = await runDataTest(warehouse, dataTest('select 1', { error_if: '>= 100', warn_if: '> 10' }));
    expect(result).toMatchObject({ status: 'warn', failures: 12 });
    expect(warehouse.sent.at(-1)).toContain('failures >= 100 as should_error');
  });
});

describe('running plans', () => {
  it('sends transactions as one call and counts only the statements that count rows', async () => {
    const warehouse = fakeWarehouse({ rowCount: 7 });
    const steps: PlanStep[] = [
      { transaction: false, statements: [{ sql: 'create table t as select 1', countsRows: true }] },
      { transaction: true, statements: [{ sql: 'delete from t' }, { sql: 'insert into t select 1', countsRows: true }] },
    ];
    const log: string[] = [];
    expect(await runSteps(warehouse, steps, log)).toBe(14);
    expect(warehouse.calls).toEqual(['execute', 'transaction']);
    expect(log).toEqual(['create table t as select 1', 'delete from t', 'insert into t select 1']);
  });

  it('reports -1 when the warehouse does not say how many rows a CTAS wrote', async () => {
    expect(
      await runSteps(fakeWarehouse({ rowCount: -1 }), [{ transaction: false, statements: [{ sql: 'create table t as select 1', countsRows: true }] }], []),
    ).toBe(-1);
  });

  it('builds nothing for an ephemeral model', async () => {
    const warehouse = fakeWarehouse({});
    expect(await materialize(warehouse, model('e', { materialized: 'ephemeral' }), 'select 1', { fullRefresh: false })).toEqual({
      rowsAffected: 0,
      statements: [],
      published: true,
    });
    expect(warehouse.calls).toEqual([]);
  });

  it('drops and recreates a view in one transaction when CREATE OR REPLACE fails', async () => {
    const warehouse = fakeWarehouse({ query: [{ kind: 'v' }], failFirst: /create or replace view/ });
    const result = await materialize(warehouse, model('v', { materialized: 'view' }), 'select 1 as a', { fullRefresh: false });
    expect(result.statements).toEqual([
      'create schema if not exists "analytics"',
      'create or replace view "analytics"."v" as\nselect 1 as a',
      'drop view "analytics"."v" cascade',
      'create view "analytics"."v" as\nselect 1 as a',
    ]);
    expect(warehouse.calls.at(-1)).toBe('transaction');
  });
});

interface FakeWarehouse extends Warehouse {
  readonly calls: string[];
  readonly sent: string[];
}

/** A warehouse that records what it is sent; `failFirst` fails the first statement matching it. */
function fakeWarehouse(options: { rowCount?: number; query?: Record<string, unknown>[]; failFirst?: RegExp }): FakeWarehouse {
  const calls: string[] = [];
  const sent: string[] = [];
  let failed = false;
  const run = (sql: string): ExecuteResult => {
    sent.push(sql);
    if (options.failFirst && !failed && options.failFirst.test(sql)) {
      failed = true;
      throw new Error('cannot drop columns from view');
    }
    return { rowCount: options.rowCount ?? 0 };
  };
  return {
    dialect: 'postgres',
    calls,
    sent,
    async execute(sql: string) {
      calls.push('execute');
      return run(sql);
    },
    async query<Row>(sql: string) {
      calls.push('query');
      sent.push(sql);
      return (options.query ?? []) as Row[];
    },
    async queryTable() {
      throw new Error('not used');
    },
    async transaction(statements: readonly Statement[]) {
      calls.push('transaction');
      return statements.map((statement) => run(statement.sql));
    },
    async loadBatch() {
      throw new Error('not used');
    },
    async loadScratchTable() {},
    async describeTable() {
      return undefined;
    },
    async close() {},
  };
}
