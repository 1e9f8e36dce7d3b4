// The repository's shop project copied into a bench's own folder: its bucket is the bench S3
// server's, and its roles carry a prefix the bench drops afterwards.

import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export async function copyShopProject(dir: string, rolePrefix: string): Promise<void> {
  for (const part of ['pgshift.yml', 'models', 'macros', 'seeds']) await cp(path.resolve(part), path.join(dir, part), { recursive: true });
  const file = path.join(dir, 'pgshift.yml');
  const text = (await readFile(file, 'utf8'))
    .replace(/^(\s+bucket:\s*)pgshift-staging\s*$/m, '$1bench')
    .replace(/^governance:\n/m, `governance:\n  role_prefix: ${rolePrefix}\n`);
  await writeFile(file, text);
}

/** The environment the copied project reads its connections from. */
export function shopProjectEnv(sourceUrl: string, warehouseUrl: string, s3Endpoint: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    PGSHIFT_SOURCE_URL: sourceUrl,
    PGSHIFT_WAREHOUSE_URL: warehouseUrl,
    PGSHIFT_S3_ENDPOINT: s3Endpoint,
  };
}
