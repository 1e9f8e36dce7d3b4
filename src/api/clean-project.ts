// `clean`: removes what pgshift writes into a project (target/, dbt_packages/), as `dbt clean`
// does with its clean-targets (https://docs.getdbt.com/reference/commands/clean). Only folders
// inside the project directory: a target path that points outside it is refused, never deleted.

import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../errors.js';

export interface CleanResult {
  /** Folders removed, as absolute paths. */
  readonly removed: string[];
}

export async function cleanProject(projectDir: string, targetPath = 'target'): Promise<CleanResult> {
  const root = path.resolve(projectDir);
  const removed: string[] = [];
  for (const [flag, relative] of [
    ['--target-path', targetPath],
    ['dbt_packages', 'dbt_packages'],
  ] as const) {
    const folder = path.resolve(root, relative);
    const inside = path.relative(root, folder);
    if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) {
      throw new ConfigError(`clean: ${flag} ${relative} is not inside the project directory ${root}; clean removes only folders inside it`);
    }
    if (!existsSync(folder)) continue;
    await rm(folder, { recursive: true, force: true });
    removed.push(folder);
  }
  return { removed };
}
