// Shared helpers for the model-engine tests: the fixture project under
// test/fixtures/model-project (pgshift's built-in macros included, as in every project), and small
// edits of its files for error cases, since compilation itself is pure.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProject, parseProject } from '../../src/config/load-project.js';
import { compileProject, type CompileContext, type CompiledProject, type ProjectFiles, type TextFile } from '../../src/compile/index.js';
import type { Manifest, ManifestNode } from '../../src/manifest/index.js';
import { loadProjectFiles } from '../../src/project-files/load-project-files.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const FIXTURE_DIR = path.resolve(here, '../fixtures/model-project');
export const RUN_STARTED_AT = '2024-03-02T06:00:00.000Z';

let cached: Promise<ProjectFiles> | undefined;

export function fixtureFiles(): Promise<ProjectFiles> {
  cached ??= loadProject(FIXTURE_DIR).then((project) => loadProjectFiles(project));
  return cached;
}

export type TargetType = 'postgres' | 'redshift';

export function context(type: TargetType = 'postgres', extra: Partial<CompileContext> = {}): CompileContext {
  return { target: { name: type === 'postgres' ? 'dev' : 'prod', type, schema: 'analytics' }, runStartedAt: RUN_STARTED_AT, env: {}, ...extra };
}

export function compile(files: ProjectFiles, type: TargetType = 'postgres', extra: Partial<CompileContext> = {}): Manifest {
  return compileProject(files, context(type, extra)).manifest;
}

/** The compiled project itself, for tests that render a node again. */
export function compileCompiled(files: ProjectFiles, type: TargetType = 'postgres', extra: Partial<CompileContext> = {}): CompiledProject {
  return compileProject(files, context(type, extra));
}

export function nodeNamed(manifest: Manifest, name: string): ManifestNode {
  const found = Object.values(manifest.nodes).find((node) => node.name === name);
  if (!found) throw new Error(`no node named ${name}`);
  return found;
}

/** Compiled SQL of a model or test, by name. */
export function compiledSql(manifest: Manifest, name: string): string {
  const node = nodeNamed(manifest, name);
  if (node.resource_type === 'seed' || node.resource_type === 'unit_test') throw new Error(`${name} is a ${node.resource_type}`);
  return node.compiled_code;
}

type Edits = Record<string, string | null>;

/** The files with some added, replaced (text) or removed (null), by project-relative path. */
export function edit(
  files: ProjectFiles,
  changes: { models?: Edits; macros?: Edits; schemaFiles?: Edits; singularTests?: Edits; selectors?: string | null; pgshiftYml?: string },
): ProjectFiles {
  const apply = (list: readonly TextFile[], edits: Edits | undefined): TextFile[] => {
    if (!edits) return [...list];
    const kept = list.filter((file) => !(file.path in edits));
    const added = Object.entries(edits)
      .filter((entry): entry is [string, string] => entry[1] !== null)
      .map(([filePath, text]) => ({ path: filePath, text }));
    return [...kept, ...added];
  };
  return {
    ...files,
    project: changes.pgshiftYml === undefined ? files.project : parseProject(changes.pgshiftYml, path.join(FIXTURE_DIR, 'pgshift.yml')),
    models: apply(files.models, changes.models),
    macros: apply(files.macros, changes.macros),
    schemaFiles: apply(files.schemaFiles, changes.schemaFiles),
    singularTests: apply(files.singularTests, changes.singularTests),
    selectors: changes.selectors === undefined ? files.selectors : changes.selectors === null ? null : { path: 'selectors.yml', text: changes.selectors },
  };
}

/** A minimal pgshift.yml for projects built in a test; `extra` is appended YAML. */
export function pgshiftYml(extra = ''): string {
  return `name: shop
sources:
  shop:
    tables:
      orders: { primary_key: order_id, cursor: updated_at }
      customers: { primary_key: customer_id, cursor: updated_at }
staging: { bucket: b }
targets:
  dev: { type: postgres }
${extra}`;
}

/** Files of a bare project holding only what the test gives. */
export async function bareProject(models: Edits, more: { macros?: Edits; schemaFiles?: Edits; pgshiftYml?: string } = {}): Promise<ProjectFiles> {
  const base = await fixtureFiles();
  const empty: ProjectFiles = { ...base, models: [], macros: [], schemaFiles: [], seeds: [], singularTests: [], selectors: null };
  return edit(empty, { models, macros: more.macros, schemaFiles: more.schemaFiles, pgshiftYml: more.pgshiftYml ?? pgshiftYml() });
}
