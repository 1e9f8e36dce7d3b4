// packages.yml (or dependencies.yml) as dbt reads it: the packages a project installs with
// `pgshift deps`. `local:` and `git:` entries are installed; a dbt Hub `package:` entry is refused,
// since the hub registry is not reachable from pgshift. https://docs.getdbt.com/docs/build/packages

import { ConfigError } from '../errors.js';
import { isRecord } from '../util/zod-issue.js';
import { readYaml } from './read-yaml.js';

export const PACKAGES_FILES = ['packages.yml', 'dependencies.yml'] as const;

export type PackageSpec =
  | { readonly kind: 'local'; readonly path: string; readonly keyPath: string }
  | {
      readonly kind: 'git';
      readonly url: string;
      /** A tag, branch or commit; dbt's default, HEAD, when none is given. */
      readonly revision: string | undefined;
      readonly subdirectory: string | undefined;
      readonly warnUnpinned: boolean;
      readonly keyPath: string;
    };

export interface PackagesFile {
  /** `packages.yml` or `dependencies.yml`, relative to the project that declares it. */
  readonly file: string;
  readonly text: string;
  readonly packages: readonly PackageSpec[];
}

const GIT_KEYS = new Set(['git', 'revision', 'subdirectory', 'warn-unpinned']);

/** Parses one packages.yml / dependencies.yml; an empty file declares nothing. */
export function parsePackagesFile(text: string, file: string): PackagesFile {
  const input = readYaml(text, file) ?? {};
  if (!isRecord(input)) throw new ConfigError(`${file}: must be a mapping with packages: (a list)`, { file });
  for (const key of Object.keys(input)) {
    // dependencies.yml may also list `projects:` (cross-project ref), which pgshift does not run.
    if (key !== 'packages') throw new ConfigError(`${file}: ${key} is not supported; list packages under packages:`, { file });
  }
  const list = input.packages ?? [];
  if (!Array.isArray(list)) throw new ConfigError(`${file}: packages must be a list of local: or git: entries`, { file });
  return { file, text, packages: list.map((entry, index) => parseEntry(entry, `packages[${index}]`, file)) };
}

function parseEntry(entry: unknown, keyPath: string, file: string): PackageSpec {
  const fail = (problem: string): never => {
    throw new ConfigError(`${file}: ${keyPath} ${problem}`, { file });
  };
  if (!isRecord(entry)) return fail('must be a mapping such as {git: https://…, revision: v1.0.0} or {local: ../my_package}');
  if ('package' in entry) {
    const name = String(entry.package);
    return fail(
      `(package: ${name}) is a dbt Hub package, and the hub registry is not reachable from pgshift; install it from its repository instead: git: <its git URL> with revision: ${entry.version === undefined ? '<a tag>' : String(entry.version)}`,
    );
  }
  if ('private' in entry) return fail('(private:) needs dbt Cloud; install it with git: <its git URL> instead');
  if ('local' in entry) {
    for (const key of Object.keys(entry)) if (key !== 'local') fail(`has ${key}, which a local: package does not take`);
    if (typeof entry.local !== 'string' || entry.local === '') return fail('local: must be a folder path');
    return { kind: 'local', path: entry.local, keyPath };
  }
  if ('git' in entry) {
    for (const key of Object.keys(entry)) if (!GIT_KEYS.has(key)) fail(`has ${key}; a git: package takes ${[...GIT_KEYS].join(', ')}`);
    if (typeof entry.git !== 'string' || entry.git === '') return fail('git: must be a repository URL');
    // An argument starting with '-' would reach git as an option.
    if (entry.git.startsWith('-')) return fail(`git: ${entry.git} is not a repository URL`);
    const revision = optionalText(entry.revision, 'revision', fail);
    if (revision?.startsWith('-')) fail(`revision: ${revision} is not a tag, branch or commit`);
    const subdirectory = optionalText(entry.subdirectory, 'subdirectory', fail);
    if (subdirectory !== undefined && (subdirectory.startsWith('/') || subdirectory.split('/').includes('..'))) {
      fail(`subdirectory: ${subdirectory} must be a folder inside the repository`);
    }
    const warnUnpinned = entry['warn-unpinned'] ?? true;
    if (typeof warnUnpinned !== 'boolean') fail('warn-unpinned must be true or false');
    return { kind: 'git', url: entry.git, revision, subdirectory, warnUnpinned: warnUnpinned as boolean, keyPath };
  }
  return fail('must say where the package comes from: git: <URL> or local: <folder>');
}

function optionalText(value: unknown, key: string, fail: (problem: string) => never): string | undefined {
  if (value === undefined || value === null) return undefined;
  // YAML reads `revision: 1.0` as the number 1, which is not the tag 1.0 any more.
  if (typeof value === 'number') return fail(`${key} is read as the number ${value}; write it in quotes, as in ${key}: "1.0"`);
  if (typeof value !== 'string' || value === '') return fail(`${key} must be a text`);
  return value;
}
