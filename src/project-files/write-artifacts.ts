// Writes target/manifest.json and target/compiled/<path>.sql: what `pgshift compile` leaves
// behind for people to read and for the next run's state:modified.

import { mkdir, writeFile } from 'node:fs/promises';
import { maskSecrets } from '../log/redact.js';
import path from 'node:path';
import type { Manifest } from '../manifest/manifest.js';

const COMPILED_PREFIX = 'target/compiled/';

export async function writeCompileArtifacts(manifest: Manifest, targetDir: string): Promise<{ manifestPath: string; compiledFiles: number }> {
  await mkdir(targetDir, { recursive: true });
  let compiledFiles = 0;
  for (const node of Object.values(manifest.nodes)) {
    if (node.resource_type === 'seed') continue;
    // compiled_path is written relative to the project; here it lands under targetDir.
    const relative = node.compiled_path.startsWith(COMPILED_PREFIX) ? node.compiled_path.slice(COMPILED_PREFIX.length) : node.compiled_path;
    const file = path.join(targetDir, 'compiled', ...relative.split('/'));
    await mkdir(path.dirname(file), { recursive: true });
    // Secrets a template read through env_var() (a PII key) never reach the files on disk; the
    // rest is SQL, written as compiled (no key=value masking: `where token = 'abc'` stays).
    await writeFile(file, maskSecrets(node.compiled_code.endsWith('\n') ? node.compiled_code : `${node.compiled_code}\n`));
    compiledFiles++;
  }
  const manifestPath = path.join(targetDir, 'manifest.json');
  await writeFile(manifestPath, maskSecrets(`${JSON.stringify(manifest, null, 2)}\n`));
  return { manifestPath, compiledFiles };
}
