// Copies a fixture project to a temporary folder, so a test can edit its files and run it.

import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export async function copyProject(fixture: string, replacements: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), `pgshift-${path.basename(fixture)}-`));
  await cp(path.resolve('test', 'fixtures', fixture), dir, { recursive: true });
  const file = path.join(dir, 'pgshift.yml');
  let text = await readFile(file, 'utf8');
  for (const [from, to] of Object.entries(replacements)) text = text.replaceAll(from, to);
  await writeFile(file, text);
  return dir;
}

export async function editFile(dir: string, relative: string, edit: (text: string) => string): Promise<void> {
  const file = path.join(dir, relative);
  await writeFile(file, edit(await readFile(file, 'utf8')));
}
