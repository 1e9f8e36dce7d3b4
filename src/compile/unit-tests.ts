// dbt's unit tests (`unit_tests:` in a property file): each names a model, the rows its refs and
// sources read (`given`), the rows it must return (`expect`) and overrides. Validated here, once,
// into UnitTestNodes; the runner renders the model over the given rows and compares.
// https://docs.getdbt.com/reference/resource-properties/unit-tests

import { z } from 'zod';
import { CompileError } from '../errors.js';
import type { UnitTestGiven, UnitTestNode, UnitTestRows } from '../manifest/manifest.js';
import { CsvSyntaxError, parseCsv } from '../util/seed-csv.js';
import { didYouMean } from '../util/suggest.js';
import { describeZodIssue, knownKeysAt } from '../util/zod-issue.js';
import { checksumOf } from './checksum.js';
import { folderParts, pathUnder } from './compile-entries.js';
import { parseRelationArgument } from './generic-tests.js';
import type { TextFile } from './project-files.js';
import { sourceUniqueId } from './source-nodes.js';

const rowsSpec = {
  format: z.enum(['dict', 'csv', 'sql']).optional(),
  rows: z.union([z.array(z.record(z.string(), z.unknown())), z.string()]).optional(),
  fixture: z.string().min(1).optional(),
};
const unitTestSchema = z.strictObject({
  name: z.string().min(1),
  model: z.string().min(1),
  description: z.string().optional(),
  // Versions are not built (schema-yml.ts), so a unit test runs on the one model there is.
  versions: z.record(z.string(), z.unknown()).optional(),
  given: z.array(z.strictObject({ input: z.string().min(1), ...rowsSpec })).default([]),
  expect: z.strictObject(rowsSpec),
  overrides: z
    .strictObject({
      // https://docs.getdbt.com/reference/resource-properties/unit-test-overrides
      macros: z.strictObject({ is_incremental: z.boolean().optional() }).optional(),
      vars: z.record(z.string(), z.unknown()).optional(),
      env_vars: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    })
    .optional(),
  config: z
    .strictObject({
      tags: z.union([z.string(), z.array(z.string())]).optional(),
      meta: z.record(z.string(), z.unknown()).optional(),
      enabled: z.boolean().optional(),
    })
    .optional(),
});

/** What the compiler knows that a unit test is checked against. */
export interface UnitTestScope {
  readonly projectName: string;
  /** The model folders (model-paths) and test folders (test-paths). */
  readonly modelPaths: readonly string[];
  readonly testPaths: readonly string[];
  /** Model name → unique id, for models only (not seeds). */
  readonly models: ReadonlyMap<string, string>;
  /** Model and seed names → unique id: what ref() resolves. */
  readonly refable: ReadonlyMap<string, string>;
  /** The nodes a model reads (its refs and sources), by model unique id. */
  readonly readsOf: (modelId: string) => readonly string[];
  readonly isIncremental: (modelId: string) => boolean;
  readonly fixtures: readonly TextFile[];
}

export interface UnitTestDefinition {
  readonly file: string;
  readonly index: number;
  readonly definition: Record<string, unknown>;
}

/** Every unit test of the project, checked; disabled ones are returned apart, as dbt keeps them. */
export function buildUnitTests(definitions: readonly UnitTestDefinition[], scope: UnitTestScope): { enabled: UnitTestNode[]; disabled: UnitTestNode[] } {
  const enabled: UnitTestNode[] = [];
  const disabled: UnitTestNode[] = [];
  const seen = new Map<string, string>();
  for (const entry of definitions) {
    const node = buildUnitTest(entry, scope);
    const other = seen.get(node.unique_id);
    if (other) throw new CompileError(`${entry.file}: unit test ${node.name} of model ${node.model} is already defined in ${other}`, { file: entry.file });
    seen.set(node.unique_id, entry.file);
    (node.config.enabled ? enabled : disabled).push(node);
  }
  return { enabled, disabled };
}

function buildUnitTest(entry: UnitTestDefinition, scope: UnitTestScope): UnitTestNode {
  const { file } = entry;
  const raw = entry.definition;
  const label = `${file}: unit_tests[${entry.index}]${typeof raw.name === 'string' ? ` (${raw.name})` : ''}`;
  const parsed = unitTestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = describeZodIssue(parsed.error.issues[0]!, raw, '', (path) => knownKeysAt(unitTestSchema, path));
    throw new CompileError(`${label}: ${issue}`, { file });
  }
  const test = parsed.data;
  const fail = (message: string): never => {
    throw new CompileError(`${label}: ${message}`, { file, test: test.name });
  };
  const modelId = scope.models.get(test.model);
  if (!modelId) fail(`model '${test.model}' is not a model of this project${didYouMean(test.model, scope.models.keys())}`);
  const reads = new Set(scope.readsOf(modelId!));
  const given = test.given.map((input, index): UnitTestGiven => {
    const where = `given[${index}]`;
    const node = inputNode(input.input, modelId!, scope, (message) => fail(`${where}: ${message}`));
    if (node !== modelId && !reads.has(node)) fail(`${where}: ${input.input} is not read by model ${test.model}; give only its own ref() and source() inputs`);
    return { input: input.input, node, ...rowsOf(input, `${where}`, scope, fail) };
  });
  // dbt: include every ref and source of the model as an input, except seeds, which are read
  // as they are when left out. https://docs.getdbt.com/reference/resource-properties/unit-test-input
  const givenNodes = new Set(given.map((input) => input.node));
  const missing = [...reads].filter((id) => !givenNodes.has(id) && !id.startsWith('seed.'));
  if (missing.length > 0) {
    fail(`model ${test.model} reads ${missing.map(displayInput).join(', ')}, which given does not mock; add it to given (rows: [] for no rows)`);
  }
  // https://docs.getdbt.com/reference/resource-properties/unit-test-overrides: an incremental
  // model's unit test must say which case it tests.
  if (scope.isIncremental(modelId!) && test.overrides?.macros?.is_incremental === undefined) {
    fail(`model ${test.model} is incremental: set overrides: {macros: {is_incremental: true}} (or false for a first build)`);
  }
  const expect = rowsOf(test.expect, 'expect', scope, fail);
  const config = { enabled: test.config?.enabled ?? true, tags: toList(test.config?.tags), meta: test.config?.meta ?? {} };
  const underModels = pathUnder(scope.modelPaths, file);
  return {
    unique_id: `unit_test.${scope.projectName}.${test.model}.${test.name}`,
    resource_type: 'unit_test',
    name: test.name,
    package_name: scope.projectName,
    fqn: [scope.projectName, ...folderParts(underModels), test.model, test.name],
    path: underModels,
    original_file_path: file,
    depends_on: { nodes: [modelId!], macros: [] },
    tags: config.tags,
    description: test.description ?? '',
    meta: config.meta,
    checksum: checksumOf(JSON.stringify(raw)),
    config,
    attached_node: modelId!,
    model: test.model,
    given,
    expect,
    overrides: {
      macros: test.overrides?.macros ?? {},
      vars: test.overrides?.vars ?? {},
      env_vars: Object.fromEntries(Object.entries(test.overrides?.env_vars ?? {}).map(([key, value]) => [key, String(value)])),
    },
  };
}

/** `ref('x')`, `source('s', 't')` or `this` → the node it names. */
function inputNode(input: string, modelId: string, scope: UnitTestScope, fail: (message: string) => never): string {
  // `this`: the model's own relation, what an incremental model reads when is_incremental().
  // https://docs.getdbt.com/reference/resource-properties/unit-testing-incremental-models
  if (input.trim() === 'this') return modelId;
  const relation = parseRelationArgument(input);
  if (!relation) return fail(`input must be ref('model'), source('source', 'table') or this, got '${input}'`);
  if (relation.kind === 'source') return sourceUniqueId(relation.source, relation.table);
  const id = scope.refable.get(relation.name);
  if (!id) return fail(`${input} does not match any model or seed${didYouMean(relation.name, scope.refable.keys())}`);
  return id;
}

type RowsSpec = { format?: 'dict' | 'csv' | 'sql' | undefined; rows?: Record<string, unknown>[] | string | undefined; fixture?: string | undefined };

function rowsOf(spec: RowsSpec, where: string, scope: UnitTestScope, fail: (message: string) => never): UnitTestRows {
  const format = spec.format ?? 'dict';
  if (spec.rows !== undefined && spec.fixture !== undefined) fail(`${where} has both rows and fixture; keep one`);
  if (format === 'dict') {
    if (spec.fixture !== undefined) fail(`${where}: a fixture file needs format: csv or format: sql`);
    if (typeof spec.rows === 'string') fail(`${where}: rows is text; a dict input lists mappings, or set format: csv / format: sql`);
    return { format, rows: spec.rows ?? [], sql: null };
  }
  let text: string;
  let source = where;
  if (spec.fixture !== undefined) {
    const fixture = findFixture(spec.fixture, format, scope);
    if (!fixture) {
      fail(`${where}: fixture '${spec.fixture}' not found; put it in ${scope.testPaths[0] ?? 'tests'}/fixtures/${spec.fixture}.${format}`);
    }
    text = fixture!.text;
    source = fixture!.path;
  } else if (typeof spec.rows === 'string') text = spec.rows;
  else return fail(`${where}: format ${format} takes rows as text (or a fixture file)`);
  if (format === 'sql') return { format, rows: null, sql: text.trim().replace(/;\s*$/, '') };
  return { format, rows: csvRows(text, source, fail), sql: null };
}

function findFixture(name: string, format: 'csv' | 'sql', scope: UnitTestScope): TextFile | undefined {
  const wanted = new Set(scope.testPaths.map((folder) => `${folder}/fixtures/${name}.${format}`));
  return scope.fixtures.find((file) => wanted.has(file.path)) ?? scope.fixtures.find((file) => file.path.endsWith(`/fixtures/${name}.${format}`));
}

/** A header line, then one record a row: cells are strings; an empty unquoted cell is null. */
function csvRows(text: string, where: string, fail: (message: string) => never): Record<string, unknown>[] {
  let records: ReturnType<typeof parseCsv>;
  try {
    // Inline rows are indented under `rows: |`; YAML already strips the block's indentation.
    records = parseCsv(text.replace(/^[ \t]+/gm, ''));
  } catch (error) {
    if (error instanceof CsvSyntaxError) return fail(`${where}: line ${error.line}: ${error.message}`);
    throw error;
  }
  const [header, ...rows] = records;
  if (!header) return [];
  const names = header.fields.map((field) => (field ?? '').trim());
  return rows.map((record) => {
    if (record.fields.length !== names.length) fail(`${where}: line ${record.line} has ${record.fields.length} cells, the header ${names.length}`);
    return Object.fromEntries(names.map((name, index) => [name, record.fields[index] ?? null]));
  });
}

function displayInput(id: string): string {
  const [kind = '', ...rest] = id.split('.');
  // source.<source>.<table>; model.<project>.<name> and seed.<project>.<name>.
  return kind === 'source' ? `source('${rest[0]}', '${rest.slice(1).join('.')}')` : `ref('${rest.slice(1).join('.')}')`;
}

function toList(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** The kept `unit_tests:` entries of every schema file, in file order. */
export function unitTestDefinitions(schemaFiles: readonly { file: string; kept?: { unit_tests?: Record<string, unknown>[] } }[]): UnitTestDefinition[] {
  return schemaFiles.flatMap((schemaFile) => (schemaFile.kept?.unit_tests ?? []).map((definition, index) => ({ file: schemaFile.file, index, definition })));
}
