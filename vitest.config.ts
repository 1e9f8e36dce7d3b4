import { defineConfig } from 'vitest/config';

// Two projects: `unit` is pure code and starts no server; `integration` (integration/ and e2e/)
// shares one PostgreSQL server and one local S3 server started in globalSetup, and each of its
// test files creates and drops its own databases and buckets.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    env: {
      // The AWS SDK's notice about future Node versions is noise in test output.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      // Every Redshift-target test talks to the emulator as a non-superuser with only the
      // privileges README "Running on Redshift" has an admin grant; a test may still pick its own.
      PGSHIFT_EMULATOR_IDENTITY: process.env.PGSHIFT_EMULATOR_IDENTITY ?? 'non-superuser',
    },
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
    ],
  },
});
