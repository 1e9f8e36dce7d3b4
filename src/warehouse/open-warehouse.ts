// Opens the warehouse a target names: a pg pool for PostgreSQL, the Data API for Redshift.

import type { S3Client } from '@aws-sdk/client-s3';
import type { PostgresTarget, Target } from '../config/target.js';
import { getPostgresConn, type PostgresConnOptions } from '../connections.js';
import { PostgresWarehouse } from './postgres-warehouse.js';
import type { Warehouse } from './warehouse.js';

export async function openWarehouse(target: Target, s3: () => S3Client, threads = 4): Promise<Warehouse> {
  if (target.type === 'postgres') {
    const options = warehouseConnOptions(target);
    const pool = getPostgresConn({ ...options, max: threads + 1 });
    return new PostgresWarehouse(pool, s3, options.connection.label);
  }
  const { openRedshiftWarehouse } = await import('./redshift-data-warehouse.js');
  return openRedshiftWarehouse(target);
}

/** How every pool on a PostgreSQL warehouse connects, and the name its errors give it. */
export function warehouseConnOptions(target: PostgresTarget): PostgresConnOptions & { connection: { label: string; env: string } } {
  return {
    connectionString: target.connectionString,
    connection: { label: `warehouse target ${target.name}`, env: target.connectionEnv ?? 'PGSHIFT_WAREHOUSE_URL' },
    timeouts: target.timeouts,
  };
}
