// Reads every file the model engine needs (models, macros, schema.yml, seeds, snapshots, tests,
// selectors.yml) into memory. This is the only file I/O of compilation; everything after it
// is a pure function of the returned ProjectFiles.

import { readFileSync } from 'node:fs';
import type { Dirent } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { projectPaths, type Project } from '../config/project.js';
import { sha256 } from '../compile/checksum.js';
import type { ProjectFiles, SeedFile, TextFile } from '../compile/project-files.js';
import { loadInstalledPackages } from './installed-packages.js';

export type { ProjectFiles, SeedFile, TextFile };

export async function loadProjectFiles(project: Project): Promise<ProjectFiles> {
  const root = project.rootDir;
  // dbt_project.yml's model-paths, macro-paths, test-paths and seed-paths (models/ … by default).
  const paths = projectPaths(project);
  const listAll = async (folders: readonly string[]): Promise<string[]> => (await Promise.all(folders.map((folder) => listFiles(root, folder)))).flat();
  const [models, macros, tests, seeds, snapshots, selectors] = await Promise.all([
    listAll(paths.models),
    listAll(paths.macros),
    listAll(paths.tests),
    listAll(paths.seeds),
    listAll(paths.snapshots),
    readOptional(path.join(root, 'selectors.yml')),
  ]);
  const isSql = (file: string): boolean => file.endsWith('.sql');
  const isYaml = (file: string): boolean => file.endsWith('.yml') || file.endsWith('.yaml');
  // dbt keeps custom generic tests in tests/generic/: they are macros, not singular tests.
  const isGenericTest = (file: string): boolean => paths.tests.some((folder) => file.startsWith(`${folder}/generic/`));
  // Unit test fixtures live in tests/fixtures/: rows, not singular tests.
  // https://docs.getdbt.com/reference/resource-properties/data-formats
  const isFixture = (file: string): boolean => paths.tests.some((folder) => file.startsWith(`${folder}/fixtures/`));
  const macroPaths = [...macros.filter(isSql), ...tests.filter((file) => isSql(file) && isGenericTest(file))];
  return {
    project,
    models: await readAll(root, models.filter(isSql)),
    macros: await readAll(root, macroPaths),
    schemaFiles: await readAll(root, [...models.filter(isYaml), ...seeds.filter(isYaml), ...snapshots.filter(isYaml)]),
    snapshots: await readAll(root, snapshots.filter(isSql)),
    seeds: await Promise.all(seeds.filter((file) => file.endsWith('.csv')).map((file) => readSeed(root, file))),
    singularTests: await readAll(
      root,
      tests.filter((file) => isSql(file) && !isGenericTest(file) && !isFixture(file)),
    ),
    fixtures: await readAll(
      root,
      tests.filter((file) => isFixture(file) && (isSql(file) || file.endsWith('.csv'))),
    ),
    selectors: selectors === null ? null : { path: 'selectors.yml', text: selectors },
    docs: await readAll(
      root,
      models.filter((file) => file.endsWith('.md')),
    ),
    packages: await loadInstalledPackages(project),
  };
}

async function readSeed(root: string, file: string): Promise<SeedFile> {
  const content = await readFile(path.join(root, file));
  const firstBreak = content.indexOf(0x0a);
  const header = content.subarray(0, firstBreak === -1 ? content.length : firstBreak).toString('utf8');
  return { path: file, headerLine: header.replace(/^\uFEFF/, '').replace(/\r$/, ''), checksum: sha256(content) };
}

// Synchronous on purpose: for a thousand small files, one thread-pool round trip each costs
// four times more than reading them in a loop, and nothing else runs while a project loads.
async function readAll(root: string, files: readonly string[]): Promise<TextFile[]> {
  return files.map((file) => ({ path: file, text: readFileSync(path.resolve(root, file), 'utf8') }));
}

async function readOptional(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Project-relative paths under `folder`, sorted; an absent folder is empty. */
async function listFiles(root: string, folder: string): Promise<string[]> {
  return (await listAbsolute(path.join(root, folder))).map((file) => relative(root, file));
}

async function listAbsolute(dir: string): Promise<string[]> {
  const found: string[] = [];
  const visit = async (current: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(current, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) await visit(full);
      else if (entry.isFile()) found.push(full);
    }
  };
  await visit(dir);
  return found.sort();
}

function relative(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}
