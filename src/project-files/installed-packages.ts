// The packages `pgshift deps` installed, read for compile: package-lock.yml says which, each
// one's dbt_project.yml where its macros are. A project whose packages.yml lists packages that
// are not installed (or changed since they were) stops here, saying to run `pgshift deps`, as
// dbt does. https://docs.getdbt.com/docs/build/packages

import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { PACKAGE_LOCK_FILE, packagesDigest, parsePackageLock } from '../config/package-lock.js';
import type { Project } from '../config/project.js';
import type { PackageFiles, TextFile } from '../compile/project-files.js';
import { packagesInstallPath } from './packages-install-path.js';
import { readPackageProject } from './package-project.js';
import { readPackagesDeclaration } from './packages-declaration.js';

export async function loadInstalledPackages(project: Project): Promise<PackageFiles[]> {
  const root = project.rootDir;
  const declared = await readPackagesDeclaration(root);
  if (!declared) return [];
  const installDir = packagesInstallPath(project);
  const runDeps = `run \`pgshift deps\` to install them into ${installDir}/`;
  const lockText = await readOptional(path.join(root, PACKAGE_LOCK_FILE));
  if (lockText === null)
    throw new ConfigError(`${declared.file} lists ${declared.packages.length} package(s), but none is installed: ${runDeps}`, { file: declared.file });
  const lock = parsePackageLock(lockText, PACKAGE_LOCK_FILE);
  if (lock.sha1_hash !== packagesDigest(declared.text)) {
    throw new ConfigError(`${declared.file} changed since its packages were installed: ${runDeps}`, { file: declared.file });
  }
  const packages: PackageFiles[] = [];
  for (const locked of lock.packages) {
    const dir = `${installDir}/${locked.name}`;
    if (!existsSync(path.join(root, dir, 'dbt_project.yml'))) {
      throw new ConfigError(`package ${locked.name} is not installed in ${installDir}/: ${runDeps}`, { file: PACKAGE_LOCK_FILE });
    }
    packages.push(await readInstalledPackage(root, dir, locked.name));
  }
  return packages;
}

async function readInstalledPackage(root: string, dir: string, name: string): Promise<PackageFiles> {
  const settings = await readPackageProject(path.join(root, dir), name);
  const inPackage = async (folders: readonly string[]): Promise<string[]> =>
    (await Promise.all(folders.map((folder) => listFiles(root, `${dir}/${folder}`)))).flat();
  // A package's models and seeds would be built into the warehouse; pgshift installs packages of
  // macros and tests only, and says so rather than leave them out silently.
  const built = [
    ...(await inPackage(settings.paths.models)).filter((file) => file.endsWith('.sql')),
    ...(await inPackage(settings.paths.seeds)).filter((file) => file.endsWith('.csv')),
  ];
  if (built.length > 0) {
    throw new ConfigError(
      `package ${settings.name} (${dir}) has models or seeds (${built[0]}); pgshift runs packages of macros and generic tests only: use a package without them or copy the models into this project`,
      { file: built[0] },
    );
  }
  const macros = (await inPackage(settings.paths.macros)).filter((file) => file.endsWith('.sql'));
  const genericTests = (await inPackage(settings.paths.tests.map((folder) => `${folder}/generic`))).filter((file) => file.endsWith('.sql'));
  return {
    name: settings.name,
    dir,
    macros: await readAll(root, [...macros, ...genericTests]),
    onRunStart: settings.onRunStart,
    onRunEnd: settings.onRunEnd,
  };
}

/** Project-relative paths of the files under `folder`, sorted; an absent folder is empty. */
async function listFiles(root: string, folder: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(path.join(root, folder), { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .map((entry) => entry.split(path.sep).join('/'))
    .filter((entry) => !entry.split('/').some((part) => part.startsWith('.')))
    .map((entry) => `${folder}/${entry}`)
    .sort();
}

async function readAll(root: string, files: readonly string[]): Promise<TextFile[]> {
  return files.map((file) => ({ path: file, text: readFileSync(path.join(root, file), 'utf8') }));
}

async function readOptional(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
