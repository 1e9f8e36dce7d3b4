import { defineConfig } from 'vitest/config';

// Integration tests share one PostgreSQL server and one local S3 server started in globalSetup;
// each test file creates and drops its own databases and buckets.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    // The AWS SDK's notice about future Node versions is noise in test output.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
