// Writes target/manifest.json and target/compiled/<path>.sql: what `pgshift compile` leaves
// behind for people to read and for the next run's state:modified.

import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { maskSecrets } from '../log/redact.js';
import path from 'node:path';
import type { Manifest } from '../manifest/manifest.js';
import { randomUUID } from 'node:crypto';
import { type DbtManifestContext, toDbtManifest } from './dbt-manifest.js';

const COMPILED_PREFIX = 'target/compiled/';

/** manifest.json is dbt's v12 shape (dbt-manifest.ts); `context` fills what the internal manifest does not hold. */
export async function writeCompileArtifacts(
  manifest: Manifest,
  targetDir: string,
  context: Partial<DbtManifestContext> = {},
): Promise<{ manifestPath: string; compiledFiles: number }> {
  await mkdir(targetDir, { recursive: true });
  const files = new Map<string, string>();
  let compiledFiles = 0;
  for (const node of Object.values(manifest.nodes)) {
    if (node.resource_type === 'seed' || node.resource_type === 'unit_test') continue;
    // compiled_path is written relative to the project; here it lands under targetDir.
    const relative = node.compiled_path.startsWith(COMPILED_PREFIX) ? node.compiled_path.slice(COMPILED_PREFIX.length) : node.compiled_path;
    // Secrets a template read through env_var() (a PII key) never reach the files on disk; the
    // rest is SQL, written as compiled (no key=value masking: `where token = 'abc'` stays).
    files.set(
      path.join(targetDir, 'compiled', ...relative.split('/')),
      maskSecrets(node.compiled_code.endsWith('\n') ? node.compiled_code : `${node.compiled_code}\n`),
    );
    compiledFiles++;
  }
  // Each folder is created once, and the files are written synchronously: tens of thousands of
  // small writes cost several times more as thread-pool round trips than in a loop, and nothing
  // else runs while compile writes its output.
  // What each folder already holds is listed once: asking file by file costs a failed open (an
  // exception) for every file of a first compile.
  const existing = new Set<string>();
  for (const dir of new Set([...files.keys()].map((file) => path.dirname(file)))) {
    mkdirSync(dir, { recursive: true });
    for (const name of readdirSync(dir)) existing.add(path.join(dir, name));
  }
  for (const [file, text] of files) {
    if (existing.has(file)) replaceFile(file, text, true);
    else writeFileSync(file, text);
  }
  return { manifestPath: await writeManifest(manifest, targetDir, context), compiledFiles };
}

/** target/manifest.json alone (all `pgshift parse` writes), in dbt's v12 shape. */
export async function writeManifest(manifest: Manifest, targetDir: string, context: Partial<DbtManifestContext> = {}): Promise<string> {
  await mkdir(targetDir, { recursive: true });
  const manifestPath = path.join(targetDir, 'manifest.json');
  const dbtManifest = toDbtManifest(manifest, { database: context.database ?? null, invocationId: context.invocationId ?? randomUUID() });
  replaceFile(manifestPath, maskSecrets(`${JSON.stringify(dbtManifest, null, 2)}\n`), false);
  return manifestPath;
}

/**
 * Writes `text` to `file` as a new file. Overwriting in place (O_TRUNC) would make ext4 flush
 * each file's blocks at once, its replace-via-truncate heuristic (the auto_da_alloc mount
 * option, https://git.zx2c4.com/linux-dev/commit/tools/perf/scripts?id=afd4672dc7610b7feef5190168aa917cc2e417e4):
 * seconds of waiting for 50,000 small files. A file already holding `text` is left alone when
 * `compare` is set (a compile of an unchanged model); reading it back costs far less.
 */
function replaceFile(file: string, text: string, compare: boolean): void {
  let previous: string | undefined;
  if (compare) {
    try {
      previous = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (previous === text) return;
  }
  rmSync(file, { force: true });
  writeFileSync(file, text);
}
