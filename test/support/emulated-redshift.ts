// The production Redshift adapter pointed at a Data API emulator: one target and one client
// shape for every test that talks to "Redshift" here.

import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import type { RedshiftTarget } from '../../src/config/target.js';
import { RedshiftDataWarehouse } from '../../src/warehouse/redshift-data-warehouse.js';
import type { RedshiftEmulator } from './redshift-emulator/index.js';

export const EMULATED_IAM_ROLE = 'arn:aws:iam::123456789012:role/pgshift-loader';

export function emulatedTarget(emulator: RedshiftEmulator, overrides: Partial<RedshiftTarget> = {}): RedshiftTarget {
  return {
    name: 'prod',
    type: 'redshift',
    schema: 'analytics',
    database: 'dev',
    clusterIdentifier: 'emulated',
    dbUser: 'loader',
    region: 'us-east-1',
    endpoint: emulator.endpoint,
    iamRole: EMULATED_IAM_ROLE,
    statementTimeoutMs: 60_000,
    ...overrides,
  };
}

export function emulatedDataClient(emulator: RedshiftEmulator): RedshiftDataClient {
  return new RedshiftDataClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
}

/** The Redshift warehouse adapter on the emulator, polling fast so tests stay quick. */
export function emulatedWarehouse(emulator: RedshiftEmulator, overrides: Partial<RedshiftTarget> = {}): RedshiftDataWarehouse {
  return new RedshiftDataWarehouse(emulatedTarget(emulator, overrides), emulatedDataClient(emulator), { pollInitialMs: 10 });
}
