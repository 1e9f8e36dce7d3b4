// The two warehouses a CLI test runs a project on: PostgreSQL (target dev) and Redshift through
// the Data API emulator (target prod), each started on a test database, with the environment
// the CLI needs for it. PROJECT_TARGETS is the pgshift.yml `targets:` block that matches.

import { type RedshiftEmulator, startRedshiftEmulator } from './redshift-emulator/index.js';
import { type TestDatabase, testS3Endpoint } from './test-env.js';

export interface CliWarehouse {
  readonly target: 'dev' | 'prod';
  start(db: TestDatabase): Promise<{ env: Record<string, string>; close(): Promise<void> }>;
}

/** `targets:` of a pgshift.yml for `name`, both in schema `analytics`. */
export function projectTargets(name: string): string {
  return `targets:
  dev: { type: postgres, schema: analytics, connection_env: PGSHIFT_WAREHOUSE_URL }
  prod: { type: redshift, schema: analytics, database: dev, workgroup_name: ${name}, iam_role: 'arn:aws:iam::123456789012:role/${name}' }
`;
}

export const CLI_WAREHOUSES: Record<string, CliWarehouse> = {
  PostgreSQL: {
    target: 'dev',
    async start(db) {
      return { env: { PGSHIFT_WAREHOUSE_URL: db.url, ...S3_ENV() }, close: async () => undefined };
    },
  },
  'Redshift (Data API emulator)': {
    target: 'prod',
    async start(db) {
      const emulator: RedshiftEmulator = await startRedshiftEmulator({ postgresUrl: db.url, s3Endpoint: testS3Endpoint() });
      return {
        env: {
          PGSHIFT_REDSHIFT_ENDPOINT: emulator.endpoint,
          PGSHIFT_REDSHIFT_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:cli-tests',
          PGSHIFT_PII_KEY: 'cli-warehouses-test-key',
          ...S3_ENV(),
        },
        close: () => emulator.close(),
      };
    },
  },
};

function S3_ENV(): Record<string, string> {
  return { PGSHIFT_S3_ENDPOINT: testS3Endpoint(), AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' };
}
