// What a run does at its start with the helper tables it finds: drops what can be derived again,
// puts back a set-aside table whose owner's name is free, and leaves what it cannot place.

import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/manifest/manifest.js';
import { cleanUpLeftoverHelpers } from '../../src/run/materializations/leftover-helpers.js';
import { backupName } from '../../src/run/materializations/relation-names.js';
import type { Statement, Warehouse } from '../../src/warehouse/warehouse.js';
import { modelNode, seedNode } from '../support/manifest-nodes.js';

const LONG = `fct_${'x'.repeat(70)}`;

function fakeWarehouse(relations: readonly [string, string][]): { warehouse: Warehouse; sent: string[] } {
  const sent: string[] = [];
  const present = new Set(relations.map(([schema, name]) => `${schema}.${name}`));
  const warehouse = {
    dialect: 'postgres',
    query: async () => relations.map(([schema_name, relation_name]) => ({ schema_name, relation_name })),
    describeTable: async (schema: string, table: string) => (present.has(`${schema}.${table}`) ? [{ name: 'id', type: 'integer' }] : undefined),
    transaction: async (statements: readonly Statement[]) => {
      sent.push(...statements.map((statement) => statement.sql));
      return statements.map(() => ({ rowCount: 0 }));
    },
  } as unknown as Warehouse;
  return { warehouse, sent };
}

const manifest = {
  nodes: {
    'model.shop.fct_orders': modelNode('fct_orders', { materialized: 'table' }),
    'model.shop.long': modelNode(LONG, { materialized: 'table' }),
    'seed.shop.codes': seedNode('codes', ['code']),
  },
  sources: {
    'source.shop.orders': { resource_type: 'source', schema: 'raw', extracted: true },
    'source.crm.accounts': { resource_type: 'source', schema: 'crm', extracted: false },
  },
} as unknown as Manifest;

describe('leftover helper tables at the start of a run', () => {
  it('drops what can be built again, in the schemas the project writes only', async () => {
    const { warehouse, sent } = fakeWarehouse([
      ['analytics', 'fct_orders'],
      ['analytics', 'fct_orders__pgshift_tmp'],
      ['analytics', 'fct_orders__pgshift_incr'],
      ['reference', 'codes__pgshift_stage'],
      ['raw', 'orders__pgshift_new'],
      ['raw', 'orders__pgshift_keys'],
      ['raw', 'orders__pgshift_gone'],
      ['elsewhere', 'thing__pgshift_tmp'],
      // A source only dbt YAML declares lives in another loader's schema: never swept.
      ['crm', 'accounts__pgshift_tmp'],
      ['analytics', 'fct_orders__pgshift_tmp__p2024_01'],
    ]);
    const result = await cleanUpLeftoverHelpers(warehouse, manifest, 'postgres');
    expect(result.dropped).toEqual([
      'analytics.fct_orders__pgshift_tmp',
      'analytics.fct_orders__pgshift_incr',
      'reference.codes__pgshift_stage',
      'raw.orders__pgshift_new',
      'raw.orders__pgshift_keys',
      'raw.orders__pgshift_gone',
    ]);
    expect(sent).toContain('drop table if exists "analytics"."fct_orders__pgshift_tmp" cascade');
    expect(sent.some((sql) => sql.includes('elsewhere') || sql.includes('"crm"') || sql.includes('__p2024_01'))).toBe(false);
  });

  it("drops a snapshot's staged rows in the snapshot's schema", async () => {
    const withSnapshot = {
      ...manifest,
      nodes: { ...manifest.nodes, 'snapshot.shop.customers_snapshot': { resource_type: 'snapshot', schema: 'snapshots', alias: 'customers_snapshot' } },
    } as unknown as Manifest;
    const { warehouse } = fakeWarehouse([
      ['snapshots', 'customers_snapshot'],
      ['snapshots', 'customers_snapshot__pgshift_snap'],
    ]);
    const result = await cleanUpLeftoverHelpers(warehouse, withSnapshot, 'postgres');
    expect(result.dropped).toEqual(['snapshots.customers_snapshot__pgshift_snap']);
  });

  it('drops a set-aside table whose model exists, and renames one back whose model is gone', async () => {
    const { warehouse, sent } = fakeWarehouse([
      ['analytics', 'fct_orders__pgshift_backup'],
      ['analytics', backupName('postgres', LONG)],
      ['raw', 'orders'],
      ['raw', 'orders__pgshift_old'],
    ]);
    const result = await cleanUpLeftoverHelpers(warehouse, manifest, 'postgres');
    expect(result.dropped).toEqual(['raw.orders__pgshift_old']);
    expect(result.restored).toEqual([
      `analytics.fct_orders__pgshift_backup → analytics.fct_orders`,
      `analytics.${backupName('postgres', LONG)} → analytics.${LONG}`,
    ]);
    expect(sent).toContain(`alter table "analytics"."${backupName('postgres', LONG)}" rename to "${LONG}"`);
  });

  it('leaves a shortened set-aside name it cannot trace to a model', async () => {
    const { warehouse, sent } = fakeWarehouse([['analytics', 'fct_gone_0123abcd__pgshift_backup']]);
    const result = await cleanUpLeftoverHelpers(warehouse, manifest, 'postgres');
    expect(result).toEqual({ dropped: [], restored: [] });
    expect(sent).toEqual([]);
  });
});
