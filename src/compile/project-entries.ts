// Turns the project's files into compiler entries: model and singular-test templates (parsed
// once), seeds typed from their headers, each with its folder and schema.yml config. Duplicate
// names and schema.yml entries for files that do not exist are reported here.

import { projectPaths, type Project } from '../config/project.js';
import { renderYamlTree } from '../config/render-yaml-value.js';
import type { RuntimeContext } from './compile-context.js';
import { CompileError, ConfigError } from '../errors.js';
import { byPath, segmentsUnder, stem, type SeedEntry, type TemplateEntry } from './compile-entries.js';
import { configLayerOrThrow } from './config-layer.js';
import { CsvSyntaxError, parseCsvHeader } from '../util/seed-csv.js';
import { folderLayers, parseFolderConfig, unusedFolderPaths, type FolderConfigTree } from './folder-config.js';
import { mergeConfigLayers, resolveSeedConfig, type ConfigLayer } from '../manifest/node-config.js';
import { compileTemplate, type Environment } from './nunjucks-env.js';
import { loadSnapshotEntries } from './snapshot-entries.js';
import type { ProjectFiles } from './project-files.js';
import type { ModelPatch, SchemaFile, SeedPatch } from './schema-yml.js';
import { didYouMean } from '../util/suggest.js';

const PROJECT_FILE = 'pgshift.yml';
const DBT_PROJECT_FILE = 'dbt_project.yml';

/** pgshift.yml's and dbt_project.yml's trees for one resource type; pgshift.yml's layers come last, so they win. */
interface FolderTrees {
  readonly trees: readonly FolderConfigTree[];
  readonly root: readonly string[];
}

export interface ProjectEntries {
  readonly models: Map<string, TemplateEntry>;
  readonly seeds: Map<string, SeedEntry>;
  /** Model and seed names → unique id: what ref() resolves. */
  readonly refable: Map<string, string>;
  readonly singularTests: Map<string, TemplateEntry>;
  readonly warnings: string[];
  /** dbt_project.yml `data_tests:` layers for a test at fqn `segments` (folders, then its name), root first. */
  readonly testFolderLayers: (segments: readonly string[]) => ConfigLayer[];
}

export function loadProjectEntries(
  project: Project,
  files: ProjectFiles,
  schemaFiles: readonly SchemaFile[],
  env: Environment,
  runtime: RuntimeContext,
): ProjectEntries {
  const paths = projectPaths(project);
  // dbt renders its project config with var, env_var and target only, before parsing any file:
  // https://docs.getdbt.com/reference/dbt-jinja-functions/dbt-project-yml-context
  const context = { env: runtime.env, vars: runtime.vars, target: runtime.target };
  // dbt_project.yml `data_tests:` (or `tests:`), by the test's fqn as dbt matches it.
  const testTrees = project.dbt
    ? [parseFolderConfig(renderYamlTree(project.dbt.tests, context, `${DBT_PROJECT_FILE}: data_tests`), 'test', 'data_tests', project.name, DBT_PROJECT_FILE)]
    : [];
  const entries: ProjectEntries = {
    models: new Map(),
    seeds: new Map(),
    refable: new Map(),
    singularTests: new Map(),
    warnings: [],
    testFolderLayers: (segments) => testTrees.flatMap((tree) => folderLayers(tree, segments)),
  };
  const dbtTree = (kind: 'model' | 'seed' | 'snapshot', key: 'models' | 'seeds' | 'snapshots'): FolderConfigTree[] =>
    project.dbt ? [parseFolderConfig(renderYamlTree(project.dbt[key], context, `${DBT_PROJECT_FILE}: ${key}`), kind, key, project.name, DBT_PROJECT_FILE)] : [];
  const modelTrees: FolderTrees = {
    trees: [...dbtTree('model', 'models'), parseFolderConfig(project.raw.models, 'model', 'models', project.name, PROJECT_FILE)],
    root: paths.models,
  };
  const seedTrees: FolderTrees = {
    trees: [...dbtTree('seed', 'seeds'), parseFolderConfig(project.raw.seeds, 'seed', 'seeds', project.name, PROJECT_FILE)],
    root: paths.seeds,
  };
  const snapshotTrees: FolderTrees = { trees: dbtTree('snapshot', 'snapshots'), root: paths.snapshots };
  const used = new Set<FolderConfigTree>();
  const modelPatches = collectPatches(schemaFiles, (file) => file.models, 'describe a model once');
  loadModels(project, files, env, modelTrees, used, modelPatches, entries);
  loadSeeds(
    project,
    files,
    seedTrees,
    used,
    collectPatches(schemaFiles, (file) => file.seeds, 'describe a seed once'),
    entries,
  );
  // Snapshots are models to the compiler (rendered, ref()-able, built into a relation); their
  // unique ids and kind keep them apart.
  for (const snapshot of loadSnapshotEntries({
    projectName: project.name,
    files: files.snapshots ?? [],
    schemaFiles,
    env,
    folderLayers: (filePath) => layersOf(snapshotTrees, filePath, used),
    taken: (name) => {
      const id = entries.refable.get(name);
      return id ? (entries.models.get(id)?.file.path ?? entries.seeds.get(id)?.file.path) : undefined;
    },
  })) {
    entries.models.set(snapshot.uniqueId, snapshot);
    entries.refable.set(snapshot.name, snapshot.uniqueId);
  }
  const fileOf = (index: number, trees: FolderTrees): string => (index < trees.trees.length - 1 ? DBT_PROJECT_FILE : PROJECT_FILE);
  for (const trees of [modelTrees, seedTrees]) {
    trees.trees.forEach((tree, index) => {
      for (const unused of unusedFolderPaths(tree, used))
        entries.warnings.push(`${fileOf(index, trees)}: ${unused} matches no folder or file; check the spelling`);
    });
  }
  checkModelPatches(modelPatches, entries);
  loadSingularTests(project, files, env, entries);
  return entries;
}

function collectPatches<T extends ModelPatch | SeedPatch>(
  schemaFiles: readonly SchemaFile[],
  pick: (file: SchemaFile) => readonly T[],
  hint: string,
): Map<string, T> {
  const patches = new Map<string, T>();
  for (const file of schemaFiles) {
    for (const patch of pick(file)) {
      const seen = patches.get(patch.name);
      if (seen) throw new ConfigError(`${file.file}: ${patch.keyPath} is already described in ${seen.file}; ${hint}`, { file: file.file });
      patches.set(patch.name, patch);
    }
  }
  return patches;
}

function loadModels(
  project: Project,
  files: ProjectFiles,
  env: Environment,
  trees: FolderTrees,
  used: Set<FolderConfigTree>,
  patches: ReadonlyMap<string, ModelPatch>,
  entries: ProjectEntries,
): void {
  const byName = new Map<string, string>();
  for (const file of [...files.models].sort(byPath)) {
    const name = stem(file.path);
    const other = byName.get(name);
    if (other) {
      throw new CompileError(`two models are named '${name}': ${other} and ${file.path}; model names must be unique`, { file: file.path, model: name });
    }
    byName.set(name, file.path);
    const uniqueId = `model.${project.name}.${name}`;
    const patch = patches.get(name);
    const folder = layersOf(trees, file.path, used);
    const baseLayer = mergeConfigLayers(...folder, patch ? configLayerOrThrow('model', patch.config, patch.file, `${patch.keyPath}.config`) : {});
    const template = compileTemplate(env, file.text, file.path);
    entries.models.set(uniqueId, { uniqueId, name, kind: 'model', file, template, baseLayer, patch });
    entries.refable.set(name, uniqueId);
  }
}

function loadSeeds(
  project: Project,
  files: ProjectFiles,
  trees: FolderTrees,
  used: Set<FolderConfigTree>,
  patches: ReadonlyMap<string, SeedPatch>,
  entries: ProjectEntries,
): void {
  for (const file of [...files.seeds].sort(byPath)) {
    const name = stem(file.path);
    const clash = entries.refable.get(name);
    if (clash) {
      const other = entries.models.get(clash)?.file.path ?? entries.seeds.get(clash)?.file.path;
      throw new CompileError(`'${name}' is defined twice: ${other} and ${file.path}; ref() needs unique names`, { file: file.path });
    }
    const patch = patches.get(name);
    const folder = layersOf(trees, file.path, used);
    const config = resolveSeedConfig(
      mergeConfigLayers(...folder, patch ? configLayerOrThrow('seed', patch.config, patch.file, `${patch.keyPath}.config`) : {}),
    );
    const header = seedHeader(file.path, file.headerLine, config.delimiter);
    if (header.some((column) => column === '')) {
      throw new CompileError(`${file.path}: the first line must name every column (got ${JSON.stringify(file.headerLine)})`, { file: file.path });
    }
    for (const column of Object.keys(config.column_types)) {
      if (!header.includes(column)) {
        throw new ConfigError(
          `column_types for seed ${name} names '${column}', which ${file.path} does not have${didYouMean(column, header)} (columns: ${header.join(', ')})`,
          {
            file: file.path,
          },
        );
      }
    }
    const uniqueId = `seed.${project.name}.${name}`;
    entries.seeds.set(uniqueId, { uniqueId, name, file, config, header, patch });
    entries.refable.set(name, uniqueId);
  }
  for (const patch of patches.values()) {
    const id = entries.refable.get(patch.name);
    if (id && entries.seeds.has(id)) continue;
    const seedNames = [...entries.seeds.values()].map((seed) => seed.name);
    throw new ConfigError(
      `${patch.file}: ${patch.keyPath} describes seed '${patch.name}', but seeds/ has no ${patch.name}.csv${didYouMean(patch.name, seedNames)}`,
      {
        file: patch.file,
      },
    );
  }
}

function checkModelPatches(patches: ReadonlyMap<string, ModelPatch>, entries: ProjectEntries): void {
  for (const patch of patches.values()) {
    const id = entries.refable.get(patch.name);
    if (id && entries.models.has(id)) continue;
    const names = [...entries.models.values()].map((model) => model.name);
    throw new ConfigError(
      `${patch.file}: ${patch.keyPath} describes model '${patch.name}', but models/ has no ${patch.name}.sql${didYouMean(patch.name, names)}`,
      {
        file: patch.file,
      },
    );
  }
}

function loadSingularTests(project: Project, files: ProjectFiles, env: Environment, entries: ProjectEntries): void {
  for (const file of [...files.singularTests].sort(byPath)) {
    const name = stem(file.path);
    const uniqueId = `test.${project.name}.${name}`;
    const other = entries.singularTests.get(uniqueId);
    if (other) throw new CompileError(`two tests are named '${name}': ${other.file.path} and ${file.path}`, { file: file.path });
    const template = compileTemplate(env, file.text, file.path);
    const baseLayer = mergeConfigLayers(...entries.testFolderLayers(segmentsUnder(projectPaths(project).tests, file.path)));
    entries.singularTests.set(uniqueId, { uniqueId, name, kind: 'test', file, template, baseLayer, patch: undefined });
  }
}

function layersOf(trees: FolderTrees, filePath: string, used: Set<FolderConfigTree>): ConfigLayer[] {
  const segments = segmentsUnder(trees.root, filePath);
  return trees.trees.flatMap((tree) => folderLayers(tree, segments, used));
}

function seedHeader(file: string, line: string, delimiter: string): string[] {
  try {
    return parseCsvHeader(line, delimiter);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new CompileError(`${file}:1: ${error.message}; the first line names the columns`, { file }, { cause: error });
    throw error;
  }
}
