// Opens the warehouse a target names: a pg pool for PostgreSQL, the Data API for Redshift.

import type { S3Client } from '@aws-sdk/client-s3';
import type { Target } from '../config/target.js';
import { getPostgresConn } from '../connections.js';
import { PostgresWarehouse } from './postgres-warehouse.js';
import type { Warehouse } from './warehouse.js';

export async function openWarehouse(target: Target, s3: () => S3Client, threads = 4): Promise<Warehouse> {
  if (target.type === 'postgres') {
    const connection = { label: `warehouse target ${target.name}`, env: target.connectionEnv ?? 'PGSHIFT_WAREHOUSE_URL' };
    const pool = getPostgresConn({ connectionString: target.connectionString, max: threads + 1, connection, timeouts: target.timeouts });
    return new PostgresWarehouse(pool, s3, connection.label);
  }
  const { openRedshiftWarehouse } = await import('./redshift-data-warehouse.js');
  return openRedshiftWarehouse(target);
}
