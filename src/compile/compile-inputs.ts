// The identity of a compilation: one digest of everything a manifest is a function of (the
// project's files, pgshift.yml, the target, --vars, the interval, the engine's version), and
// one of the environment variables its templates read. Equal digests mean an equal manifest,
// so `pgshift ls` can reuse the one `pgshift compile` left in target/.

import { createHash } from 'node:crypto';
import type { CompileContext } from './compile-context.js';
import type { ProjectFiles, TextFile } from './project-files.js';

/** What a compilation read besides its files; run_started_at is left out on purpose (see below). */
export type CompileInputsContext = Pick<CompileContext, 'target' | 'vars' | 'interval'>;

export function compileInputsDigest(files: ProjectFiles, context: CompileInputsContext, engineVersion: string): string {
  const hash = createHash('sha256');
  // Every part is length-prefixed, so no two different inputs run together into the same bytes.
  const part = (value: string): void => {
    hash.update(`${value.length}:`);
    hash.update(value);
  };
  part(engineVersion);
  part(JSON.stringify(files.project, collectionsAsArrays));
  part(JSON.stringify({ target: context.target, vars: context.vars ?? {}, interval: context.interval ?? null }));
  const texts = (kind: string, list: readonly TextFile[]): void => {
    part(`${kind} ${list.length}`);
    for (const file of list) {
      part(file.path);
      part(file.text);
    }
  };
  texts('models', files.models);
  texts('macros', files.macros);
  texts('schema', files.schemaFiles);
  texts('tests', files.singularTests);
  texts('snapshots', files.snapshots ?? []);
  texts('selectors', files.selectors ? [files.selectors] : []);
  texts('fixtures', files.fixtures ?? []);
  texts('docs', files.docs ?? []);
  for (const pkg of files.packages ?? []) texts(`package ${pkg.name}`, pkg.macros);
  part(`seeds ${files.seeds.length}`);
  for (const seed of files.seeds) {
    part(seed.path);
    part(seed.checksum);
  }
  // run_started_at is not an input: it is new on every invocation, and what it can change (the
  // compiled SQL of a template that prints it) is not what a selection reads.
  return hash.digest('hex');
}

/** The environment variables `names` as they are now; their values never leave the digest. */
export function environmentDigest(names: Iterable<string>, env: Readonly<Record<string, string | undefined>>): string {
  const hash = createHash('sha256');
  for (const name of [...names].sort()) {
    const value = env[name];
    hash.update(`${name.length}:${name}=${value === undefined ? '-' : `${value.length}:${value}`};`);
  }
  return hash.digest('hex');
}

/** The environment as templates see it, with each variable name they read recorded in `read`. */
export function recordingEnvironment(env: Readonly<Record<string, string | undefined>>, read: Set<string>): Readonly<Record<string, string | undefined>> {
  return new Proxy(env, {
    get(target, name) {
      if (typeof name === 'string') read.add(name);
      return Reflect.get(target, name);
    },
  });
}

// JSON.stringify writes a Map or a Set as {}: a change inside one would go unnoticed.
function collectionsAsArrays(_key: string, value: unknown): unknown {
  if (value instanceof Map) return [...value.entries()];
  if (value instanceof Set) return [...value];
  return value;
}
