// Which packages file the project has: packages.yml or dependencies.yml (not both with
// packages), read from a project's folder. https://docs.getdbt.com/docs/build/packages

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { PACKAGES_FILES, parsePackagesFile, type PackagesFile } from '../config/packages-file.js';

/** The packages file of the project in `dir`, or null when it has none (or one listing nothing). */
export async function readPackagesDeclaration(dir: string): Promise<PackagesFile | null> {
  const found: PackagesFile[] = [];
  for (const name of PACKAGES_FILES) {
    let text: string;
    try {
      text = await readFile(path.join(dir, name), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    const parsed = parsePackagesFile(text, name);
    if (parsed.packages.length > 0) found.push(parsed);
  }
  if (found.length > 1) {
    throw new ConfigError(`${dir}: both packages.yml and dependencies.yml list packages; keep them in one of the two files`, { file: 'packages.yml' });
  }
  return found[0] ?? null;
}
