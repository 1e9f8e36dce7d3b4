// Takes the run lock of the warehouse a target names (see run-lock.ts for why it exists).

import type { Target } from '../config/target.js';
import { warehouseConnOptions } from './open-warehouse.js';
import { acquirePostgresRunLock } from './postgres-run-lock.js';
import { acquireRedshiftRunLock } from './redshift-run-lock.js';
import type { RunLock, RunLockRequest } from './run-lock.js';
import type { Warehouse } from './warehouse.js';

export async function acquireRunLock(target: Target, warehouse: Warehouse, request: RunLockRequest): Promise<RunLock> {
  return target.type === 'postgres' ? acquirePostgresRunLock(warehouseConnOptions(target), request) : acquireRedshiftRunLock(warehouse, request);
}
