// `pgshift deps`: installs the packages packages.yml (or dependencies.yml) lists, and the ones
// their own packages.yml lists, into dbt_packages/ (or packages-install-path), and writes
// package-lock.yml. Git packages come from the system git at their revision (the commit
// package-lock.yml pinned, while packages.yml is unchanged); local packages are linked, as dbt
// links them. Everything is fetched into a folder of its own first, so a failure leaves the
// installed packages as they were. https://docs.getdbt.com/reference/commands/deps

import { existsSync } from 'node:fs';
import { cp, lstat, mkdir, mkdtemp, readFile, realpath, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { formatPackageLock, PACKAGE_LOCK_FILE, packagesDigest, parsePackageLock, type LockedPackage, type PackageLock } from '../config/package-lock.js';
import type { PackageSpec } from '../config/packages-file.js';
import type { Project } from '../config/project.js';
import { cloneAtRevision, GitCommandError } from './git-checkout.js';
import { packagesInstallPath } from './packages-install-path.js';
import { readPackageProject } from './package-project.js';
import { readPackagesDeclaration } from './packages-declaration.js';

export interface InstalledPackage {
  readonly name: string;
  /** Its git URL or local path, as packages.yml writes it. */
  readonly source: string;
  /** The commit a git package is at. */
  readonly commit?: string;
}

export interface DepsResult {
  readonly installed: readonly InstalledPackage[];
  readonly warnings: readonly string[];
  /** Project-relative folder the packages are in. */
  readonly installPath: string;
}

export interface DepsOptions {
  /** Ignore package-lock.yml's commits: fetch each git revision anew (`dbt deps --upgrade`). */
  readonly upgrade?: boolean;
}

interface Resolved {
  readonly name: string;
  readonly label: string;
  readonly identity: string;
  readonly requested: string | undefined;
  /** Where its files are now: a local package's own folder, a git package's checkout in the work folder. */
  readonly dir: string;
  readonly locked: LockedPackage;
  readonly declaredBy: string;
}

export async function installPackages(project: Project, options: DepsOptions = {}): Promise<DepsResult> {
  const root = project.rootDir;
  const installPath = packagesInstallPath(project);
  const declared = await readPackagesDeclaration(root);
  if (!declared) return { installed: [], warnings: [], installPath };
  const digest = packagesDigest(declared.text);
  const previous = options.upgrade ? null : await readLock(root);
  const pinned = previous?.sha1_hash === digest ? previous : null;
  const installDir = path.join(root, installPath);
  await mkdir(installDir, { recursive: true });
  // Inside the install folder, so each move into place is a rename on one file system.
  const work = await realpath(await mkdtemp(path.join(installDir, '.pgshift-deps-')));
  const warnings: string[] = [];
  try {
    const resolved = new Map<string, Resolved>();
    const queue: { spec: PackageSpec; baseDir: string; declaredBy: string }[] = declared.packages.map((spec) => ({
      spec,
      baseDir: root,
      declaredBy: declared.file,
    }));
    for (let index = 0; index < queue.length; index += 1) {
      const { spec, baseDir, declaredBy } = queue[index]!;
      const label = spec.kind === 'git' ? spec.url : spec.path;
      const identity = spec.kind === 'git' ? `git ${spec.url} ${spec.subdirectory ?? ''}` : `local ${path.resolve(baseDir, spec.path)}`;
      const requested = spec.kind === 'git' ? (spec.revision ?? 'HEAD') : undefined;
      const same = [...resolved.values()].find((entry) => entry.identity === identity);
      if (same) {
        if (same.requested !== requested) {
          throw new ConfigError(
            `package ${label}: ${same.declaredBy} asks for revision ${same.requested} and ${declaredBy} for ${requested}; pin both to one revision`,
          );
        }
        continue;
      }
      const fetched = await fetchPackage(spec, baseDir, path.join(work, `fetch-${index}`), pinned, label);
      if (spec.kind === 'git' && spec.revision === undefined && spec.warnUnpinned) {
        warnings.push(
          `package ${label} is not pinned: each \`pgshift deps\` may install a newer commit; give it revision: <a tag or commit>, or warn-unpinned: false`,
        );
      }
      const settings = await readPackageProject(fetched.dir, label);
      const clash = resolved.get(settings.name);
      if (clash) throw new ConfigError(`package ${label}: it is named ${settings.name}, as package ${clash.label} is; two packages cannot share a name`);
      if (settings.name === project.name)
        throw new ConfigError(`package ${label}: it is named ${settings.name}, as this project is; a package needs a name of its own`);
      resolved.set(settings.name, {
        name: settings.name,
        label,
        identity,
        requested,
        dir: fetched.dir,
        locked: { ...fetched.locked, name: settings.name } as LockedPackage,
        declaredBy,
      });
      const own = await readNestedDeclaration(fetched.dir, settings.name);
      for (const nested of own?.packages ?? []) queue.push({ spec: nested, baseDir: fetched.dir, declaredBy: `${settings.name}/${own!.file}` });
    }
    // Copies out of a checkout first: a checkout moves when its own package is staged.
    const entries = [...resolved.values()];
    const staged = new Map<string, string>();
    for (const entry of [...entries.filter((item) => isCopied(item, work)), ...entries.filter((item) => !isCopied(item, work))]) {
      staged.set(entry.name, await stage(entry, work));
    }
    for (const entry of entries) await moveIntoPlace(entry.name, staged.get(entry.name)!, work, installDir);
    const lock: PackageLock = { packages: [...resolved.values()].map((entry) => entry.locked), sha1_hash: digest };
    await writeFile(path.join(root, PACKAGE_LOCK_FILE), formatPackageLock(lock));
    const installed = [...resolved.values()].map((entry) => ({
      name: entry.name,
      source: entry.label,
      ...('revision' in entry.locked ? { commit: entry.locked.revision } : {}),
    }));
    return { installed, warnings, installPath };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function fetchPackage(
  spec: PackageSpec,
  baseDir: string,
  scratch: string,
  pinned: PackageLock | null,
  label: string,
): Promise<{ dir: string; locked: { local: string } | { git: string; revision: string; subdirectory?: string } }> {
  if (spec.kind === 'local') {
    const dir = path.resolve(baseDir, spec.path);
    const found = await stat(dir).catch(() => null);
    if (!found?.isDirectory()) throw new ConfigError(`package ${label}: local folder ${dir} does not exist`);
    return { dir: await realpath(dir), locked: { local: spec.path } };
  }
  const lockedEntry = pinned?.packages.find(
    (entry): entry is Extract<LockedPackage, { git: string }> => 'git' in entry && entry.git === spec.url && entry.subdirectory === spec.subdirectory,
  );
  const revision = lockedEntry?.revision ?? spec.revision;
  let commit: string;
  try {
    commit = await cloneAtRevision(spec.url, revision, scratch);
  } catch (error) {
    if (error instanceof GitCommandError)
      throw new ConfigError(`package ${label}${revision ? ` (revision ${revision})` : ''}: ${error.message}`, {}, { cause: error });
    throw error;
  }
  let dir = scratch;
  if (spec.subdirectory !== undefined) {
    dir = path.join(scratch, spec.subdirectory);
    const found = await stat(dir).catch(() => null);
    if (!found?.isDirectory()) throw new ConfigError(`package ${label}: subdirectory ${spec.subdirectory} does not exist at revision ${revision ?? 'HEAD'}`);
  }
  return { dir, locked: { git: spec.url, revision: commit, ...(spec.subdirectory !== undefined ? { subdirectory: spec.subdirectory } : {}) } };
}

/** A package's own packages.yml; its errors name the package. */
async function readNestedDeclaration(dir: string, name: string): ReturnType<typeof readPackagesDeclaration> {
  try {
    return await readPackagesDeclaration(dir);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(`package ${name}: ${error.message}`, error.context, { cause: error });
    throw error;
  }
}

/** A local package of a git package lives in that package's checkout: it is copied, not linked. */
function isCopied(entry: Resolved, work: string): boolean {
  return 'local' in entry.locked && !path.relative(work, entry.dir).startsWith('..');
}

/** The package's folder, ready in the work folder: a git checkout moved, a local package linked (edits show at once, as in dbt). */
async function stage(entry: Resolved, work: string): Promise<string> {
  const staged = path.join(work, `staged-${entry.name}`);
  if (!('local' in entry.locked)) await rename(entry.dir, staged);
  else if (isCopied(entry, work)) await cp(entry.dir, staged, { recursive: true });
  else await symlink(entry.dir, staged, 'dir');
  return staged;
}

/**
 * The staged package takes the place of the installed one: the old folder is moved aside and
 * the new one renamed in, two renames on one file system, so no reader sees half a package.
 */
async function moveIntoPlace(name: string, staged: string, work: string, installDir: string): Promise<void> {
  const destination = path.join(installDir, name);
  if (await lstat(destination).catch(() => null)) await rename(destination, path.join(work, `replaced-${name}`));
  await rename(staged, destination);
}

async function readLock(root: string): Promise<PackageLock | null> {
  const file = path.join(root, PACKAGE_LOCK_FILE);
  if (!existsSync(file)) return null;
  return parsePackageLock(await readFile(file, 'utf8'), PACKAGE_LOCK_FILE);
}
