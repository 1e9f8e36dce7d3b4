// schema.yml files (dbt's version 2 property files): descriptions, columns, pii meta, config
// and tests for models, sources and seeds. Strict: an unknown key names its file and path.

import { z } from 'zod';
import { PII_CLASSES, type PiiClass } from '../config/project-schema.js';
import { ConfigError } from '../errors.js';
import type { ColumnConstraint, Freshness, ModelConstraint } from '../manifest/manifest.js';
import { readYaml } from '../config/read-yaml.js';
import { describeZodIssue, formatKeyPath, isRecord, knownKeysAt } from '../util/zod-issue.js';

/** One entry of a `data_tests:` list, parsed later against the generic test macros. */
export interface TestEntry {
  readonly definition: unknown;
  /** `models.orders.columns.status.data_tests[0]`. */
  readonly keyPath: string;
}

export interface ColumnPatch {
  readonly name: string;
  readonly description: string;
  readonly dataType: string | null;
  readonly meta: Record<string, unknown>;
  readonly pii: PiiClass | null;
  readonly tags: string[];
  readonly quote: boolean;
  readonly tests: TestEntry[];
  readonly constraints: ColumnConstraint[];
}

interface PatchBase {
  readonly name: string;
  readonly description: string;
  readonly file: string;
  readonly keyPath: string;
  readonly meta: Record<string, unknown>;
  readonly columns: ColumnPatch[];
  /** Raw config mapping; validated by the caller against the kind's config schema. */
  readonly config: Record<string, unknown> | undefined;
}

export interface ModelPatch extends PatchBase {
  readonly tests: TestEntry[];
  /** Model-level `constraints:` (over `columns:`). */
  readonly constraints?: ModelConstraint[];
  /** The KEPT_MODEL_KEYS the entry writes. */
  readonly properties?: Record<string, unknown>;
}

export type SeedPatch = PatchBase;

/** A `snapshots:` entry: with `relation:` it defines a snapshot (dbt 1.9), without it describes one. */
export interface SnapshotPatch extends ModelPatch {
  /** `ref('orders')` or `source('shop', 'orders')`, as written. */
  readonly relation: string | undefined;
}

/** dbt's `quoting:` of a source or table: false lets the warehouse fold the name to lower case. */
export interface SourceQuoting {
  readonly database?: boolean;
  readonly schema?: boolean;
  readonly identifier?: boolean;
}

export interface SourceTablePatch extends PatchBase {
  /** The table's name in the warehouse when it differs from `name`. */
  readonly identifier: string | undefined;
  readonly quoting: SourceQuoting;
  readonly tags: string[];
  readonly loadedAtField: string | undefined;
  /** undefined: inherit from the source; null: freshness switched off for this table. */
  readonly freshness: Freshness | null | undefined;
  readonly tests: TestEntry[];
}

export interface SourcePatch extends PatchBase {
  /** Where the tables are in the warehouse: dbt's default schema is the source's name. */
  readonly schema: string | undefined;
  readonly database: string | undefined;
  /** Documentation only, as in dbt: https://docs.getdbt.com/reference/resource-properties/loader */
  readonly loader: string;
  readonly quoting: SourceQuoting;
  readonly tags: string[];
  readonly loadedAtField: string | undefined;
  readonly freshness: Freshness | null | undefined;
  readonly tables: SourceTablePatch[];
}

export interface SchemaFile {
  readonly file: string;
  readonly models: ModelPatch[];
  readonly sources: SourcePatch[];
  readonly seeds: SeedPatch[];
  readonly snapshots?: SnapshotPatch[];
  /** unit_tests, exposures, groups …: kept as written. */
  readonly kept?: Partial<Record<KeptPropertyKind, Record<string, unknown>[]>>;
}

const text = z.string();
const identifier = z.string().min(1, 'must not be empty');
const stringOrList = z.union([identifier, z.array(identifier)], { error: 'must be a string or a list of strings' });
const meta = z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
  if (value.pii !== undefined && !(PII_CLASSES as readonly unknown[]).includes(value.pii)) {
    ctx.addIssue({ code: 'custom', path: ['pii'], message: `must be one of ${PII_CLASSES.join(', ')}` });
  }
});
const testEntry = z.union([identifier, z.record(z.string(), z.unknown())], {
  error: 'must be a test name or a mapping {test_name: {arguments}}',
});
const testList = z.array(testEntry);
const threshold = z.strictObject({ count: z.number().int().positive(), period: z.enum(['minute', 'hour', 'day']) });
const freshness = z.strictObject({ warn_after: threshold.optional(), error_after: threshold.optional(), filter: text.optional() }).nullable();

// https://docs.getdbt.com/reference/resource-properties/constraints
const CONSTRAINT_TYPES = ['not_null', 'unique', 'primary_key', 'foreign_key', 'check', 'custom'] as const;
const constraintShape = {
  type: z.enum(CONSTRAINT_TYPES),
  name: identifier.optional(),
  expression: text.optional(),
  warn_unenforced: z.boolean().optional(),
  warn_unsupported: z.boolean().optional(),
  to: text.optional(),
  to_columns: z.array(identifier).optional(),
};
const columnConstraint = z.strictObject(constraintShape);
const modelConstraint = z.strictObject({ ...constraintShape, columns: z.array(identifier).optional() });

const column = z.strictObject({
  name: identifier,
  constraints: z.array(columnConstraint).optional(),
  description: text.optional(),
  data_type: identifier.optional(),
  meta: meta.optional(),
  tags: stringOrList.optional(),
  quote: z.boolean().optional(),
  config: z.strictObject({ meta: meta.optional(), tags: stringOrList.optional() }).optional(),
  data_tests: testList.optional(),
  tests: testList.optional(),
});

// The keys shared by the entries of each resource type; each adds its own on top.
const documented = {
  name: identifier,
  description: text.optional(),
  meta: meta.optional(),
  config: z.record(z.string(), z.unknown()).optional(),
};
const dataTests = { data_tests: testList.optional(), tests: testList.optional() };
const sourceTiming = { tags: stringOrList.optional(), loaded_at_field: identifier.optional(), freshness: freshness.optional() };

const seed = z.strictObject({
  ...documented,
  docs: z.strictObject({ show: z.boolean().optional() }).optional(),
  columns: z.array(column).optional(),
});

// Model governance and versions (dbt 1.5+): accepted and kept on the node; a versioned model's
// versions are not built. https://docs.getdbt.com/reference/resource-properties/versions
export const KEPT_MODEL_KEYS = ['access', 'group', 'latest_version', 'versions', 'deprecation_date', 'time_spine'] as const;
const model = seed.extend({
  ...dataTests,
  access: z.enum(['private', 'protected', 'public']).optional(),
  group: identifier.optional(),
  latest_version: z.union([z.number(), z.string()]).optional(),
  versions: z.array(z.looseObject({ v: z.union([z.number(), z.string()]) })).optional(),
  deprecation_date: z.string().optional(),
  constraints: z.array(modelConstraint).optional(),
  time_spine: z.record(z.string(), z.unknown()).optional(),
});

// https://docs.getdbt.com/docs/build/snapshots: `relation` is what the snapshot selects from.
const snapshot = seed.extend({ ...dataTests, relation: identifier.optional() });

// https://docs.getdbt.com/reference/source-properties
const quoting = z.strictObject({ database: z.boolean().optional(), schema: z.boolean().optional(), identifier: z.boolean().optional() });
const sourceTable = z.strictObject({
  ...documented,
  ...sourceTiming,
  identifier: identifier.optional(),
  quoting: quoting.optional(),
  columns: z.array(column).optional(),
  ...dataTests,
});

const source = z.strictObject({
  ...documented,
  ...sourceTiming,
  schema: identifier.optional(),
  database: identifier.optional(),
  loader: text.optional(),
  quoting: quoting.optional(),
  tables: z.array(sourceTable).default([]),
});

// dbt 1.5+ property kinds pgshift keeps in the manifest without acting on them
// (https://docs.getdbt.com/reference/configs-and-properties); each entry needs a name.
export const KEPT_PROPERTY_KINDS = ['unit_tests', 'semantic_models', 'metrics', 'saved_queries', 'exposures', 'groups'] as const;
export type KeptPropertyKind = (typeof KEPT_PROPERTY_KINDS)[number];
const keptEntries = z.array(z.looseObject({ name: identifier }));

const schemaFileSchema = z.strictObject({
  // Optional since dbt 1.5; when present only 2 is supported:
  // https://docs.getdbt.com/faqs/Project/why-version-2
  version: z.literal(2, { error: 'must be 2 (the dbt property file format) or left out' }).optional(),
  models: z.array(model).optional(),
  sources: z.array(source).optional(),
  seeds: z.array(seed).optional(),
  snapshots: z.array(snapshot).optional(),
  ...(Object.fromEntries(KEPT_PROPERTY_KINDS.map((kind) => [kind, keptEntries.optional()])) as Record<KeptPropertyKind, z.ZodOptional<typeof keptEntries>>),
});

type RawColumn = z.infer<typeof column>;

/** Parses one schema.yml; `file` is the project-relative path used in messages. */
export function parseSchemaYml(yamlText: string, file: string): SchemaFile {
  const raw: unknown = readYaml(yamlText, file) ?? {};
  if (isRecord(raw) && Object.keys(raw).length === 0) return { file, models: [], sources: [], seeds: [] };
  const result = schemaFileSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(`${file}: ${describeZodIssue(result.error.issues[0]!, raw, '', (path) => knownKeysAt(schemaFileSchema, path))}`, { file });
  }
  const data = result.data;
  // What a model's and a seed's entry have in common.
  const nodePatch = (entry: NonNullable<typeof data.seeds>[number], keyPath: string): SeedPatch => ({
    name: entry.name,
    description: entry.description ?? '',
    file,
    keyPath,
    meta: entry.meta ?? {},
    columns: columns(entry.columns, `${keyPath}.columns`, file),
    config: entry.config,
  });
  const models = (data.models ?? []).map((entry, index): ModelPatch => {
    const keyPath = formatKeyPath(['models', index], raw);
    checkTestKeys(file, keyPath, entry);
    const properties = Object.fromEntries(KEPT_MODEL_KEYS.filter((key) => entry[key] !== undefined).map((key) => [key, entry[key]]));
    return {
      ...nodePatch(entry, keyPath),
      tests: tests(entry.data_tests ?? entry.tests, `${keyPath}.${entry.data_tests ? 'data_tests' : 'tests'}`),
      ...(entry.constraints
        ? { constraints: entry.constraints.map((constraint) => ({ ...toConstraint(constraint), columns: constraint.columns ?? [] })) }
        : {}),
      ...(Object.keys(properties).length > 0 ? { properties } : {}),
    };
  });
  const seeds = (data.seeds ?? []).map((entry, index): SeedPatch => {
    const keyPath = formatKeyPath(['seeds', index], raw);
    return nodePatch(entry, keyPath);
  });
  const snapshots = (data.snapshots ?? []).map((entry, index): SnapshotPatch => {
    const keyPath = formatKeyPath(['snapshots', index], raw);
    checkTestKeys(file, keyPath, entry);
    return {
      ...nodePatch(entry, keyPath),
      tests: tests(entry.data_tests ?? entry.tests, `${keyPath}.${entry.data_tests ? 'data_tests' : 'tests'}`),
      relation: entry.relation,
    };
  });
  const sources = (data.sources ?? []).map((entry, index): SourcePatch => {
    const keyPath = formatKeyPath(['sources', index], raw);
    return {
      name: entry.name,
      description: entry.description ?? '',
      file,
      keyPath,
      meta: entry.meta ?? {},
      columns: [],
      config: entry.config,
      schema: entry.schema,
      database: entry.database,
      loader: entry.loader ?? '',
      quoting: entry.quoting ?? {},
      tags: toList(entry.tags),
      loadedAtField: entry.loaded_at_field,
      freshness: toFreshness(entry.freshness),
      tables: entry.tables.map((table, tableIndex): SourceTablePatch => {
        const tablePath = `${keyPath}.tables.${formatKeyPath([tableIndex], entry.tables)}`;
        checkTestKeys(file, tablePath, table);
        return {
          name: table.name,
          description: table.description ?? '',
          file,
          keyPath: tablePath,
          meta: table.meta ?? {},
          columns: columns(table.columns, `${tablePath}.columns`, file),
          config: table.config,
          identifier: table.identifier,
          quoting: table.quoting ?? {},
          tags: toList(table.tags),
          loadedAtField: table.loaded_at_field,
          freshness: toFreshness(table.freshness),
          tests: tests(table.data_tests ?? table.tests, `${tablePath}.${table.data_tests ? 'data_tests' : 'tests'}`),
        };
      }),
    };
  });
  const kept: Partial<Record<KeptPropertyKind, Record<string, unknown>[]>> = {};
  for (const kind of KEPT_PROPERTY_KINDS) if (data[kind]) kept[kind] = data[kind];
  return { file, models, sources, seeds, snapshots, kept };
}

function columns(list: RawColumn[] | undefined, keyPath: string, file: string): ColumnPatch[] {
  const seen = new Set<string>();
  return (list ?? []).map((entry) => {
    const columnPath = `${keyPath}.${entry.name}`;
    if (seen.has(entry.name)) throw new ConfigError(`${file}: ${columnPath} is listed twice`, { file });
    seen.add(entry.name);
    checkTestKeys(file, columnPath, entry);
    const columnMeta = { ...entry.meta, ...entry.config?.meta };
    return {
      name: entry.name,
      description: entry.description ?? '',
      dataType: entry.data_type ?? null,
      meta: columnMeta,
      pii: (columnMeta.pii as PiiClass | undefined) ?? null,
      tags: [...new Set([...toList(entry.tags), ...toList(entry.config?.tags)])],
      quote: entry.quote ?? false,
      tests: tests(entry.data_tests ?? entry.tests, `${columnPath}.${entry.data_tests ? 'data_tests' : 'tests'}`),
      constraints: (entry.constraints ?? []).map(toConstraint),
    };
  });
}

/** A written constraint with dbt's defaults filled in, as the manifest holds it. */
function toConstraint(raw: z.infer<typeof columnConstraint>): ColumnConstraint {
  return {
    type: raw.type,
    name: raw.name ?? null,
    expression: raw.expression ?? null,
    warn_unenforced: raw.warn_unenforced ?? true,
    warn_unsupported: raw.warn_unsupported ?? true,
    to: raw.to ?? null,
    to_columns: raw.to_columns ?? [],
  };
}

function tests(list: unknown[] | undefined, keyPath: string): TestEntry[] {
  return (list ?? []).map((definition, index) => ({ definition, keyPath: `${keyPath}[${index}]` }));
}

function checkTestKeys(file: string, keyPath: string, entry: { data_tests?: unknown; tests?: unknown }): void {
  if (entry.data_tests !== undefined && entry.tests !== undefined) {
    throw new ConfigError(`${file}: ${keyPath} has both data_tests and tests; keep data_tests`, { file });
  }
}

function toFreshness(value: z.infer<typeof freshness> | undefined): Freshness | null | undefined {
  if (value === undefined || value === null) return value;
  return { warn_after: value.warn_after ?? null, error_after: value.error_after ?? null, filter: value.filter ?? null };
}

function toList(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
