// The dbt_project.yml of an installed (or about to be installed) package: its `name` is the
// namespace its macros are called through, its `*-paths` say where they are.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DBT_PROJECT_FILE, parseDbtProject } from '../config/dbt-project.js';
import { ConfigError } from '../errors.js';
import type { DbtProjectSettings } from '../config/project.js';

/** `label` names the package in messages (its git URL or local path). */
export async function readPackageProject(dir: string, label: string): Promise<DbtProjectSettings> {
  const file = path.join(dir, DBT_PROJECT_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new ConfigError(`package ${label}: not a dbt project: ${dir} has no ${DBT_PROJECT_FILE}`, { file });
  }
  return parseDbtProject(text, file);
}
