// package-lock.yml, which `pgshift deps` writes as `dbt deps` does: every installed package (the
// ones packages.yml names and theirs) with its name and, for git, the commit it was installed
// at, plus a digest of packages.yml, so a changed packages.yml is noticed.
// https://docs.getdbt.com/reference/commands/deps

import { createHash } from 'node:crypto';
import { dump } from 'js-yaml';
import { ConfigError } from '../errors.js';
import { isRecord } from '../util/zod-issue.js';
import { readYaml } from './read-yaml.js';

export const PACKAGE_LOCK_FILE = 'package-lock.yml';

export type LockedPackage =
  | { readonly local: string; readonly name: string }
  | { readonly git: string; readonly revision: string; readonly subdirectory?: string; readonly name: string };

export interface PackageLock {
  readonly packages: readonly LockedPackage[];
  readonly sha1_hash: string;
}

/** The digest of a packages.yml text that package-lock.yml keeps. */
export function packagesDigest(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

export function parsePackageLock(text: string, file: string): PackageLock {
  const input = readYaml(text, file);
  const fail = (problem: string): never => {
    throw new ConfigError(`${file}: ${problem}; delete it and run \`pgshift deps\` again`, { file });
  };
  if (!isRecord(input) || !Array.isArray(input.packages) || typeof input.sha1_hash !== 'string')
    return fail('is not a package lock (packages: and sha1_hash:)');
  const packages = input.packages.map((entry, index): LockedPackage => {
    if (!isRecord(entry) || typeof entry.name !== 'string') return fail(`packages[${index}] has no name`);
    if (typeof entry.local === 'string') return { local: entry.local, name: entry.name };
    if (typeof entry.git === 'string' && typeof entry.revision === 'string') {
      return {
        git: entry.git,
        revision: entry.revision,
        ...(typeof entry.subdirectory === 'string' ? { subdirectory: entry.subdirectory } : {}),
        name: entry.name,
      };
    }
    return fail(`packages[${index}] is neither a local: nor a git: package`);
  });
  return { packages, sha1_hash: input.sha1_hash };
}

export function formatPackageLock(lock: PackageLock): string {
  return dump({ packages: lock.packages, sha1_hash: lock.sha1_hash }, { lineWidth: -1 });
}
