// Opens the warehouse a target names: a pg pool for PostgreSQL, the Data API for Redshift.

import type { S3Client } from '@aws-sdk/client-s3';
import type { Target } from '../config/target.js';
import { getPostgresConn } from '../connections.js';
import { PostgresWarehouse } from './postgres-warehouse.js';
import type { Warehouse } from './warehouse.js';

export async function openWarehouse(target: Target, s3: () => S3Client, threads = 4): Promise<Warehouse> {
  if (target.type === 'postgres') {
    // One connection more than the threads, so a cancel request always finds a free client.
    return new PostgresWarehouse(getPostgresConn({ connectionString: target.connectionString, max: threads + 1 }), s3);
  }
  const { openRedshiftWarehouse } = await import('./redshift-data-warehouse.js');
  return openRedshiftWarehouse(target);
}
