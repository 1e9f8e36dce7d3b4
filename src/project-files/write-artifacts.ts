// Writes target/manifest.json and target/compiled/<path>.sql: what `pgshift compile` leaves
// behind for people to read and for the next run's state:modified.

import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { maskSecrets } from '../log/redact.js';
import path from 'node:path';
import type { Manifest } from '../manifest/manifest.js';

const COMPILED_PREFIX = 'target/compiled/';

export async function writeCompileArtifacts(manifest: Manifest, targetDir: string): Promise<{ manifestPath: string; compiledFiles: number }> {
  await mkdir(targetDir, { recursive: true });
  const files = new Map<string, string>();
  let compiledFiles = 0;
  for (const node of Object.values(manifest.nodes)) {
    if (node.resource_type === 'seed') continue;
    // compiled_path is written relative to the project; here it lands under targetDir.
    const relative = node.compiled_path.startsWith(COMPILED_PREFIX) ? node.compiled_path.slice(COMPILED_PREFIX.length) : node.compiled_path;
    files.set(path.join(targetDir, 'compiled', ...relative.split('/')), node.compiled_code);
    compiledFiles++;
  }
  // Each folder is created once, and the files are written synchronously: tens of thousands of
  // small writes cost several times more as thread-pool round trips than in a loop, and nothing
  // else runs while compile writes its output.
  for (const dir of new Set([...files.keys()].map((file) => path.dirname(file)))) mkdirSync(dir, { recursive: true });
  for (const [file, code] of files) {
    // Secrets a template read through env_var() (a PII key) never reach the files on disk; the
    // rest is SQL, written as compiled (no key=value masking: `where token = 'abc'` stays).
    writeFileSync(file, maskSecrets(code.endsWith('\n') ? code : `${code}\n`));
  }
  const manifestPath = path.join(targetDir, 'manifest.json');
  await writeFile(manifestPath, maskSecrets(`${JSON.stringify(manifest, null, 2)}\n`));
  return { manifestPath, compiledFiles };
}
