// `npm run smoke:emulator`: starts the local stack (PostgreSQL and a local S3 server) and the
// Redshift Data API emulator, then runs `pgshift smoke` against the project's Redshift target
// through them, exactly as against a real workgroup. Exits with smoke's code.

import path from 'node:path';
import { parseArgs } from 'node:util';
import { runSmoke } from '../src/cli/smoke-command.js';
import { loadProject } from '../src/config/load-project.js';
import { startLocalStack } from '../src/local/local-stack.js';
import { startRedshiftEmulator } from '../test/support/redshift-emulator/index.js';

const { values } = parseArgs({ options: { 'project-dir': { type: 'string', default: '.' }, target: { type: 'string' } } });
const projectDir = path.resolve(values['project-dir']!);
const project = await loadProject(projectDir);
const target = values.target ?? Object.entries(project.raw.targets).find(([, file]) => file.type === 'redshift')?.[0];
if (!target) {
  process.stderr.write(`${project.file} has no redshift target\n`);
  process.exit(2);
}
const stack = await startLocalStack({
  stateDir: path.join(project.rootDir, '.pgshift', 'smoke'),
  bucket: project.staging.bucket,
  sourceDatabase: 'pgshift_smoke_source',
  warehouseDatabase: 'pgshift_smoke_warehouse',
  recreate: true,
  log: (message) => process.stderr.write(`${message}\n`),
});
const emulator = await startRedshiftEmulator({ postgresUrl: stack.warehouseUrl, s3Endpoint: stack.s3.endpoint });
let failed = true;
try {
  Object.assign(process.env, {
    PGSHIFT_SOURCE_URL: stack.sourceUrl,
    PGSHIFT_S3_ENDPOINT: stack.s3.endpoint,
    PGSHIFT_REDSHIFT_ENDPOINT: emulator.endpoint,
    PGSHIFT_REDSHIFT_IAM_ROLE: process.env.PGSHIFT_REDSHIFT_IAM_ROLE ?? 'arn:aws:iam::123456789012:role/pgshift-copy',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: 'us-east-1',
  });
  const steps = await runSmoke({ projectDir, target });
  for (const step of steps) process.stdout.write(`${step.ok ? 'PASS' : 'FAIL'}  ${step.name.padEnd(26)} ${step.detail}${!step.ok && step.read ? `\n      read: ${step.read}` : ''}\n`);
  failed = steps.some((step) => !step.ok);
  process.stdout.write(failed ? 'smoke failed\n' : 'smoke passed\n');
} finally {
  await emulator.close();
  await stack.close();
}
process.exit(failed ? 1 : 0);
