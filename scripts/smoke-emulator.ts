// `npm run smoke:emulator`: the local stack (PostgreSQL, a local S3 server) and the strict
// Redshift Data API emulator, then `pgshift debug` and `pgshift smoke` against the shop
// project's Redshift target exactly as a user runs them against a real workgroup.

import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { startLocalStack } from '../src/local/local-stack.js';
import { startRedshiftEmulator } from '../test/support/redshift-emulator/index.js';

const STATE_DIR = path.resolve('.pgshift', 'smoke-emulator');

function pgshift(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    // From source, so the check runs the code of this checkout whether or not dist/ is built.
    const child = spawn(path.resolve('node_modules', '.bin', 'tsx'), [path.resolve('src', 'cli', 'bin.ts'), ...args], { env, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

async function main(): Promise<number> {
  const stack = await startLocalStack({
    stateDir: STATE_DIR,
    bucket: 'pgshift-staging',
    sourceDatabase: 'pgshift_smoke_source',
    warehouseDatabase: 'pgshift_smoke_warehouse',
    recreate: true,
    log: (message) => process.stderr.write(`${message}\n`),
  });
  // As a non-superuser with only the privileges README "Running on Redshift" has an admin grant.
  const emulator = await startRedshiftEmulator({ postgresUrl: stack.warehouseUrl, s3Endpoint: stack.s3.endpoint, nonSuperuser: true });
  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PGSHIFT_PROJECT_DIR: process.cwd(),
      PGSHIFT_SOURCE_URL: stack.sourceUrl,
      PGSHIFT_S3_ENDPOINT: stack.s3.endpoint,
      PGSHIFT_REDSHIFT_ENDPOINT: emulator.endpoint,
      PGSHIFT_REDSHIFT_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:pgshift-emulated',
      AWS_REGION: 'us-east-1',
      // Every command refuses a prod target without the PII hash key; any key will do here.
      PGSHIFT_PII_KEY: process.env.PGSHIFT_PII_KEY || 'pgshift-emulated-pii-key',
      // The local S3 server's own keys; the emulator accepts any signature.
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    const debug = await pgshift(['--target', 'prod', 'debug'], env);
    const smoke = await pgshift(['--target', 'prod', 'smoke'], env);
    return debug === 0 && smoke === 0 ? 0 : 1;
  } finally {
    await emulator.close();
    await stack.close();
    await rm(path.join(STATE_DIR, 's3'), { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`smoke:emulator: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
