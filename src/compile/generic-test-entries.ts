// Generic tests from schema.yml become entries: the macro to call (`test_<name>`), the tested
// relation, config (severity, where, tags of the column) and a dbt-style name that must be
// unique. Rendering happens later, in the compiler.

import { ConfigError } from '../errors.js';
import { BUILTIN_TEST_ARGUMENTS } from './builtin-test-macros.js';
import { folderParts, type GenericTestEntry, type TemplateEntry } from './compile-entries.js';
import { configLayerOrThrow } from './config-layer.js';
import { parseTestEntry, syntheticTestName, type GenericTestSpec } from './generic-tests.js';
import type { MacroDefinition, MacroRegistry } from './macro-registry.js';
import { mergeConfigLayers, resolveTestConfig, type ConfigLayer } from '../manifest/node-config.js';
import type { ColumnPatch, SchemaFile, TestEntry } from './schema-yml.js';
import type { SourceBuild } from './source-nodes.js';
import { didYouMean, didYouMeanAside } from '../util/suggest.js';

export interface GenericTestInputs {
  readonly projectName: string;
  readonly schemaFiles: readonly SchemaFile[];
  readonly refable: ReadonlyMap<string, string>;
  readonly sources: readonly SourceBuild[];
  readonly registry: MacroRegistry;
  /** The test's macro: `pkg.name` in that package, `name` in this project, the packages, then the built-ins. */
  readonly testMacro?: (testName: string, namespace: string | null, where: string) => MacroDefinition | undefined;
  readonly singularTests: ReadonlyMap<string, TemplateEntry>;
  /** dbt_project.yml `data_tests:` layers for a test at fqn `segments` (the schema file's folders, then the test's name). */
  readonly folderLayers?: (segments: readonly string[]) => ConfigLayer[];
  /** Relation factories, called while the test renders so dependencies get recorded. */
  readonly ref: (name: string) => unknown;
  readonly source: (sourceName: string, tableName: string) => unknown;
}

interface TestTarget {
  readonly file: string;
  readonly attachedId: string;
  /** The model name, or `<source>_<table>`, as it appears in the test's name. */
  readonly namePart: string;
  readonly fileKeyName: string;
  readonly isSource: boolean;
  readonly relation: () => unknown;
}

export function buildGenericTestEntries(inputs: GenericTestInputs): Map<string, GenericTestEntry> {
  const tests = new Map<string, GenericTestEntry>();
  const add = (entries: readonly TestEntry[], column: ColumnPatch | undefined, target: TestTarget): void => {
    for (const entry of entries) addTest(inputs, tests, entry, column, target);
  };
  const refTarget = (file: string, name: string, fileKeyName: string): TestTarget => ({
    file,
    attachedId: inputs.refable.get(name)!,
    namePart: name,
    fileKeyName,
    isSource: false,
    relation: () => inputs.ref(name),
  });
  for (const file of inputs.schemaFiles) {
    for (const patch of file.models) {
      const target = refTarget(file.file, patch.name, `models.${patch.name}`);
      add(patch.tests, undefined, target);
      for (const column of patch.columns) add(column.tests, column, target);
    }
    for (const patch of file.snapshots ?? []) {
      const target = refTarget(file.file, patch.name, `snapshots.${patch.name}`);
      add(patch.tests, undefined, target);
      for (const column of patch.columns) add(column.tests, column, target);
    }
    for (const patch of file.seeds) {
      const target = refTarget(file.file, patch.name, `seeds.${patch.name}`);
      for (const column of patch.columns) add(column.tests, column, target);
    }
  }
  for (const build of inputs.sources) {
    if (!build.patch) continue;
    const { source_name: sourceName, table_name: tableName } = build.node;
    const target: TestTarget = {
      file: build.patch.file,
      attachedId: build.node.unique_id,
      namePart: `${sourceName}_${tableName}`,
      fileKeyName: `sources.${sourceName}`,
      isSource: true,
      relation: () => inputs.source(sourceName, tableName),
    };
    add(build.patch.tests, undefined, target);
    for (const column of build.patch.columns) add(column.tests, column, target);
  }
  return tests;
}

function addTest(inputs: GenericTestInputs, tests: Map<string, GenericTestEntry>, entry: TestEntry, column: ColumnPatch | undefined, target: TestTarget): void {
  const spec = parseTestEntry(entry, target.file);
  const macro = inputs.testMacro
    ? inputs.testMacro(spec.testName, spec.namespace, `${target.file}: ${entry.keyPath}`)
    : inputs.registry.get(`test_${spec.testName}`);
  if (!macro) {
    const known = inputs.registry
      .names()
      .filter((name) => name.startsWith('test_'))
      .map((name) => name.slice(5));
    throw new ConfigError(
      `${target.file}: ${entry.keyPath} uses unknown test '${spec.testName}'${didYouMeanAside(spec.testName, known)}; custom tests are macros named test_<name> in macros/`,
      { file: target.file },
    );
  }
  if (macro.builtin) checkBuiltinArguments(spec, target.file);
  const configLayer = configLayerOrThrow('test', spec.config, target.file, `${entry.keyPath}.config`);
  const testType = `${target.isSource ? 'source_' : ''}${spec.namespace ? `${spec.namespace}_` : ''}${spec.testName}`;
  const synthetic = syntheticTestName(testType, target.namePart, column ? { column_name: column.name, ...spec.args } : spec.args);
  const name = spec.customName ?? synthetic.name;
  // The folder configs first, as for models: what the test itself says wins.
  const resourceDir = target.file.split('/')[0] ?? 'models';
  const folder = inputs.folderLayers?.([...folderParts(target.file.slice(resourceDir.length + 1)), name]) ?? [];
  const config = resolveTestConfig(mergeConfigLayers(...folder, { tags: column?.tags ?? [] }, configLayer));
  const uniqueId = `test.${inputs.projectName}.${name}`;
  const generic = tests.get(uniqueId);
  const singular = inputs.singularTests.get(uniqueId);
  if (generic || singular) {
    const where = generic ? `${generic.file} (${generic.spec.keyPath})` : singular!.file.path;
    throw new ConfigError(`${target.file}: ${entry.keyPath} defines test ${name}, which ${where} already defines; give one of them a name:`, {
      file: target.file,
    });
  }
  tests.set(uniqueId, {
    uniqueId,
    name,
    shortName: spec.customName ?? synthetic.shortName,
    spec,
    file: target.file,
    macro,
    attachedId: target.attachedId,
    relation: target.relation,
    column,
    config,
    fileKeyName: target.fileKeyName,
    resourceDir,
  });
}

/** Built-in tests know their arguments, so a typo (`value:` for `values:`) fails early. */
function checkBuiltinArguments(spec: GenericTestSpec, file: string): void {
  const allowed = BUILTIN_TEST_ARGUMENTS[spec.testName];
  if (!allowed) return;
  for (const required of allowed.required) {
    if (!(required in spec.args)) throw new ConfigError(`${file}: ${spec.keyPath}: ${spec.testName} needs ${required}:`, { file });
  }
  const known = [...allowed.required, ...allowed.optional];
  for (const key of Object.keys(spec.args)) {
    if (!known.includes(key)) throw new ConfigError(`${file}: ${spec.keyPath}: ${spec.testName} has no argument ${key}${didYouMean(key, known)}`, { file });
  }
  if (spec.testName === 'accepted_values' && !Array.isArray(spec.args.values)) {
    throw new ConfigError(`${file}: ${spec.keyPath}: accepted_values needs values: as a list`, { file });
  }
}
