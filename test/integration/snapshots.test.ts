// Snapshots on PostgreSQL and through the Redshift Data API (emulated): a source table whose
// rows change, disappear and come back is snapshotted three times, and the history table must
// hold exactly the versions dbt's snapshot would, for each strategy and each hard_deletes mode.
// Between the second and the third run the query gains a column, which the table gains too.

import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getPostgresConn } from '../../src/connections.js';
import type { SnapshotNode } from '../../src/manifest/manifest.js';
import { type ConfigLayer, resolveSnapshotConfig } from '../../src/manifest/node-config.js';
import { buildSnapshot } from '../../src/run/materializations/index.js';
import { PostgresWarehouse } from '../../src/warehouse/postgres-warehouse.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { emulatedWarehouse } from '../support/emulated-redshift.js';
import { modelNode } from '../support/manifest-nodes.js';
import { type RedshiftEmulator, startRedshiftEmulator } from '../support/redshift-emulator/index.js';
import { createTestDatabase, type TestDatabase, testS3Endpoint } from '../support/test-env.js';
import { testPool } from '../support/test-pool.js';

const T1 = new Date('2024-01-01T00:00:00Z');
const T2 = new Date('2024-01-02T00:00:00Z');
const T3 = new Date('2024-01-03T00:00:00Z');

const QUERY = 'select id, name, tier, updated_at from "raw".customers';
const QUERY_WITH_REGION = `select id, name, tier, updated_at, cast('eu' as varchar(8)) as region from "raw".customers`;

function snapshot(config: ConfigLayer): SnapshotNode {
  const model = modelNode('customers_snapshot', {});
  return {
    ...model,
    unique_id: 'snapshot.shop.customers_snapshot',
    resource_type: 'snapshot',
    original_file_path: 'snapshots/customers_snapshot.sql',
    schema: 'snapshots',
    relation_name: '"snapshots"."customers_snapshot"',
    config: resolveSnapshotConfig({ unique_key: 'id', ...config }),
  };
}

/** The three runs: 1 and 5 (from a null tier) change and 2 disappears before the second; 3 changes, 2 comes back and a column appears before the third. */
async function threeRuns(warehouse: Warehouse, db: pg.Pool, node: SnapshotNode): Promise<void> {
  await buildSnapshot(warehouse, node, QUERY, T1);
  await db.query(`
    update "raw".customers set name = 'a2', updated_at = '2023-12-05' where id = 1;
    delete from "raw".customers where id = 2;
    insert into "raw".customers values (4, 'd', 'gold', '2023-12-06');
    update "raw".customers set tier = 'gold', updated_at = '2023-12-07' where id = 5;`);
  await buildSnapshot(warehouse, node, QUERY, T2);
  await db.query(`
    update "raw".customers set tier = 'silver', updated_at = '2023-12-10' where id = 3;
    insert into "raw".customers values (2, 'b', 'silver', '2023-12-11');`);
  await buildSnapshot(warehouse, node, QUERY_WITH_REGION, T3);
}

/** `id|name|tier|region|valid_from|valid_to[|is_deleted]`, dates as YYYY-MM-DD, `-` for null. */
async function history(db: pg.Pool, withDeleted: boolean): Promise<string[]> {
  const { rows } = await db.query<Record<string, string | null>>(
    `select id::text, name, tier, region, to_char(dbt_valid_from, 'YYYY-MM-DD') as valid_from, to_char(dbt_valid_to, 'YYYY-MM-DD') as valid_to
            ${withDeleted ? ', dbt_is_deleted' : ''}
       from snapshots.customers_snapshot
      order by id, dbt_valid_from, dbt_valid_to nulls last`,
  );
  return rows.map((row) =>
    Object.values(row)
      .map((value) => value ?? '-')
      .join('|'),
  );
}

const BACKENDS = ['postgres', 'redshift'] as const;

describe.each(BACKENDS)('snapshots on %s', (backend) => {
  let database: TestDatabase;
  let emulator: RedshiftEmulator | undefined;
  let db: pg.Pool;
  let warehouse: Warehouse;

  beforeAll(async () => {
    database = await createTestDatabase(`snapshots_${backend}`);
    if (backend === 'redshift') {
      emulator = await startRedshiftEmulator({ postgresUrl: database.url, s3Endpoint: testS3Endpoint() });
      warehouse = emulatedWarehouse(emulator);
    } else {
      warehouse = new PostgresWarehouse(getPostgresConn({ connectionString: database.url }), () => {
        throw new Error('no s3');
      });
    }
    // On the emulator, as the emulated user, so it owns what the test creates.
    db = testPool({ connectionString: database.url, max: 2, options: emulator?.connectionOptions ?? '-c TimeZone=UTC' });
  });

  afterAll(async () => {
    await warehouse?.close();
    await emulator?.close();
    await db?.end();
    await database?.drop();
  });

  beforeEach(async () => {
    await db.query(`
      drop schema if exists raw cascade; drop schema if exists snapshots cascade;
      create schema raw; create schema snapshots;
      create table "raw".customers (id int, name varchar(20), tier varchar(20), updated_at timestamp);
      insert into "raw".customers values (1, 'a', 'gold', '2023-12-01'), (2, 'b', 'silver', '2023-12-01'), (3, 'c', 'bronze', '2023-12-01'), (5, 'e', null, '2023-12-01');`);
  });

  describe('timestamp strategy', () => {
    const unchangedByDeletes = ['1|a|gold|-|2023-12-01|2023-12-05', '1|a2|gold|-|2023-12-05|-'];
    const rest = [
      '3|c|bronze|-|2023-12-01|2023-12-10',
      '3|c|silver|eu|2023-12-10|-',
      '4|d|gold|-|2023-12-06|-',
      '5|e|-|-|2023-12-01|2023-12-07',
      '5|e|gold|-|2023-12-07|-',
    ];

    it('hard_deletes ignore: a deleted key stays current, and its return is a change', async () => {
      await threeRuns(warehouse, db, snapshot({ strategy: 'timestamp', updated_at: 'updated_at' }));
      expect(await history(db, false)).toEqual([...unchangedByDeletes, '2|b|silver|-|2023-12-01|2023-12-11', '2|b|silver|eu|2023-12-11|-', ...rest]);
    });

    it('hard_deletes invalidate: a deleted key is closed at the snapshot time; its return starts anew', async () => {
      await threeRuns(warehouse, db, snapshot({ strategy: 'timestamp', updated_at: 'updated_at', hard_deletes: 'invalidate' }));
      expect(await history(db, false)).toEqual([...unchangedByDeletes, '2|b|silver|-|2023-12-01|2024-01-02', '2|b|silver|eu|2023-12-11|-', ...rest]);
    });

    it('legacy invalidate_hard_deletes: true behaves as hard_deletes invalidate', async () => {
      await threeRuns(warehouse, db, snapshot({ strategy: 'timestamp', updated_at: 'updated_at', invalidate_hard_deletes: true }));
      expect(await history(db, false)).toEqual([...unchangedByDeletes, '2|b|silver|-|2023-12-01|2024-01-02', '2|b|silver|eu|2023-12-11|-', ...rest]);
    });

    it('hard_deletes new_record: a deletion version with dbt_is_deleted, closed when the key returns', async () => {
      await threeRuns(warehouse, db, snapshot({ strategy: 'timestamp', updated_at: 'updated_at', hard_deletes: 'new_record' }));
      expect(await history(db, true)).toEqual([
        '1|a|gold|-|2023-12-01|2023-12-05|False',
        '1|a2|gold|-|2023-12-05|-|False',
        '2|b|silver|-|2023-12-01|2024-01-02|False',
        '2|b|silver|eu|2023-12-11|-|False',
        '2|b|silver|-|2024-01-02|2024-01-03|True',
        '3|c|bronze|-|2023-12-01|2023-12-10|False',
        '3|c|silver|eu|2023-12-10|-|False',
        '4|d|gold|-|2023-12-06|-|False',
        '5|e|-|-|2023-12-01|2023-12-07|False',
        '5|e|gold|-|2023-12-07|-|False',
      ]);
    });
  });

  describe('check strategy', () => {
    const changed = ['1|a|gold|-|2024-01-01|2024-01-02', '1|a2|gold|-|2024-01-02|-'];
    // A null tier that becomes 'gold' is a change: nulls compare equal only to nulls.
    const rest = [
      '3|c|bronze|-|2024-01-01|2024-01-03',
      '3|c|silver|eu|2024-01-03|-',
      '4|d|gold|-|2024-01-02|-',
      '5|e|-|-|2024-01-01|2024-01-02',
      '5|e|gold|-|2024-01-02|-',
    ];
    const check = { strategy: 'check', check_cols: ['name', 'tier'] };

    it('hard_deletes ignore: versions start at the snapshot time; a key back with the same values is no change', async () => {
      await threeRuns(warehouse, db, snapshot(check));
      expect(await history(db, false)).toEqual([...changed, '2|b|silver|-|2024-01-01|-', ...rest]);
    });

    it('hard_deletes invalidate', async () => {
      await threeRuns(warehouse, db, snapshot({ ...check, hard_deletes: 'invalidate' }));
      expect(await history(db, false)).toEqual([...changed, '2|b|silver|-|2024-01-01|2024-01-02', '2|b|silver|eu|2024-01-03|-', ...rest]);
    });

    it('hard_deletes new_record', async () => {
      await threeRuns(warehouse, db, snapshot({ ...check, hard_deletes: 'new_record' }));
      expect(await history(db, true)).toEqual([
        '1|a|gold|-|2024-01-01|2024-01-02|False',
        '1|a2|gold|-|2024-01-02|-|False',
        '2|b|silver|-|2024-01-01|2024-01-02|False',
        '2|b|silver|-|2024-01-02|2024-01-03|True',
        '2|b|silver|eu|2024-01-03|-|False',
        '3|c|bronze|-|2024-01-01|2024-01-03|False',
        '3|c|silver|eu|2024-01-03|-|False',
        '4|d|gold|-|2024-01-02|-|False',
        '5|e|-|-|2024-01-01|2024-01-02|False',
        '5|e|gold|-|2024-01-02|-|False',
      ]);
    });
  });

  it('gives every version its own dbt_scd_id and records dbt_updated_at', async () => {
    await threeRuns(warehouse, db, snapshot({ strategy: 'timestamp', updated_at: 'updated_at', unique_key: ['id', 'name'] }));
    const { rows } = await db.query<{ versions: string; ids: string; unset: string }>(
      `select count(*) as versions, count(distinct dbt_scd_id) as ids, count(*) filter (where dbt_updated_at is null) as unset from snapshots.customers_snapshot`,
    );
    // With (id, name) as the key, a renamed customer is a new key: 1|a stays current.
    expect(rows[0]).toEqual({ versions: '9', ids: '9', unset: '0' });
  });
});
