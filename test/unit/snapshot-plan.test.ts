// The SQL a snapshot sends, per dialect: the first run, and a later run for each strategy and
// hard_deletes mode (with a column the query gained). Golden files under
// test/goldens/materializations/<dialect>/snapshot-*.sql hold it; UPDATE_GOLDENS=1 rewrites them
// after an intended change. What the statements do to the rows is tested in
// test/integration/snapshots.test.ts; here, what reaches the warehouse and the plan's own checks.

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { type ConfigLayer, resolveSnapshotConfig } from '../../src/manifest/node-config.js';
import { renderPlan } from '../../src/run/materializations/plan-step.js';
import { planSnapshotApply, planSnapshotCreate, planSnapshotStage, type SnapshotTarget } from '../../src/run/materializations/snapshot-plan.js';
import type { Dialect, WarehouseColumn } from '../../src/warehouse/warehouse.js';

const GOLDENS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../goldens/materializations');
const update = process.env.UPDATE_GOLDENS === '1';
const NOW = '2024-01-02 00:00:00.000';

const cols = (...pairs: Array<[string, string]>): WarehouseColumn[] => pairs.map(([name, type]) => ({ name, type }));
const QUERY = cols(['id', 'integer'], ['name', 'character varying(20)'], ['updated_at', 'timestamp without time zone']);
const META = cols(
  ['dbt_scd_id', 'text'],
  ['dbt_updated_at', 'timestamp without time zone'],
  ['dbt_valid_from', 'timestamp without time zone'],
  ['dbt_valid_to', 'timestamp without time zone'],
);
const DELETED = cols(['dbt_is_deleted', 'character varying(5)']);

const target = (dialect: Dialect, config: ConfigLayer): SnapshotTarget => ({
  dialect,
  model: 'snapshot.shop.customers_snapshot',
  schema: 'snapshots',
  alias: 'customers_snapshot',
  config: resolveSnapshotConfig({ unique_key: 'id', ...config }),
  sql: 'select * from "raw"."customers"',
});
const TIMESTAMP = { strategy: 'timestamp', updated_at: 'updated_at' };
const CHECK = { strategy: 'check', check_cols: ['name'] };
const later = (dialect: Dialect, config: ConfigLayer, existing: WarehouseColumn[]) =>
  renderPlan(planSnapshotApply(target(dialect, config), existing, [...QUERY, ...cols(['region', 'character varying(8)'])], NOW));

const CASES: Record<string, (dialect: Dialect) => string> = {
  'snapshot-first-run': (dialect) =>
    renderPlan([...planSnapshotStage(target(dialect, TIMESTAMP)), ...planSnapshotCreate(target(dialect, TIMESTAMP), QUERY, NOW)]),
  'snapshot-timestamp': (dialect) => later(dialect, TIMESTAMP, [...QUERY, ...META]),
  'snapshot-check-invalidate': (dialect) => later(dialect, { ...CHECK, hard_deletes: 'invalidate' }, [...QUERY, ...META]),
  'snapshot-new-record': (dialect) => later(dialect, { ...TIMESTAMP, hard_deletes: 'new_record' }, [...QUERY, ...META, ...DELETED]),
};

describe('golden SQL of snapshots', () => {
  for (const dialect of ['postgres', 'redshift'] as const) {
    for (const [name, render] of Object.entries(CASES)) {
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

describe('what a snapshot plan refuses', () => {
  it('a query that selects a meta column itself', () => {
    expect(() => planSnapshotCreate(target('postgres', TIMESTAMP), [...QUERY, ...cols(['dbt_valid_to', 'timestamp'])], NOW)).toThrow(
      'snapshot.shop.customers_snapshot: the query selects dbt_valid_to, which the snapshot adds itself; rename or drop them in the select',
    );
  });

  it('an updated_at the query does not select', () => {
    expect(() => planSnapshotCreate(target('postgres', { strategy: 'timestamp', updated_at: 'changed_at' }), QUERY, NOW)).toThrow(
      "snapshot.shop.customers_snapshot: updated_at 'changed_at' is not a column the snapshot's query selects (columns: id, name, updated_at)",
    );
  });

  it('hard_deletes new_record on a table built without dbt_is_deleted', () => {
    expect(() => later('redshift', { ...TIMESTAMP, hard_deletes: 'new_record' }, [...QUERY, ...META])).toThrow(ConfigError);
  });
});
