// What a model, seed, test or source may be configured with, how layers merge, and the
// defaults. One schema serves config() in a model, `config:` in schema.yml and folder config
// in pgshift.yml, so a key means the same thing wherever it is written.

import { z } from 'zod';

const name = z.string().min(1, 'must not be empty');
const stringOrList = z.union([name, z.array(name)], { error: 'must be a string or a list of strings' });

export const MATERIALIZATIONS = ['view', 'table', 'incremental', 'ephemeral'] as const;
export type Materialization = (typeof MATERIALIZATIONS)[number];
export const INCREMENTAL_STRATEGIES = ['append', 'merge', 'delete+insert'] as const;
export type IncrementalStrategy = (typeof INCREMENTAL_STRATEGIES)[number];
export const ON_SCHEMA_CHANGE = ['ignore', 'fail', 'append_new_columns', 'sync_all_columns'] as const;

const indexSchema = z.strictObject({
  columns: z.array(name).min(1),
  unique: z.boolean().optional(),
  type: name.optional(),
});

const partitionSchema = z.union(
  [
    name,
    z.strictObject({
      field: name,
      data_type: name.optional(),
      granularity: z.enum(['hour', 'day', 'month', 'year']).optional(),
    }),
  ],
  { error: 'must be a column name or {field, data_type, granularity}' },
);

const sharedShape = {
  enabled: z.boolean(),
  schema: name.nullable(),
  alias: name.nullable(),
  tags: stringOrList,
  meta: z.record(z.string(), z.unknown()),
  grants: z.record(name, stringOrList),
  full_refresh: z.boolean().nullable(),
};

export const modelConfigInput = z
  .strictObject({
    ...sharedShape,
    materialized: z.enum(MATERIALIZATIONS),
    unique_key: stringOrList,
    incremental_strategy: z.enum(INCREMENTAL_STRATEGIES),
    on_schema_change: z.enum(ON_SCHEMA_CHANGE),
    dist: name,
    sort: stringOrList,
    sort_type: z.enum(['compound', 'interleaved']),
    bind: z.boolean(),
    indexes: z.array(indexSchema),
    partition_by: partitionSchema,
    pre_hook: stringOrList,
    post_hook: stringOrList,
    // https://docs.getdbt.com/reference/resource-configs/contract
    contract: z.strictObject({ enforced: z.boolean().optional(), alias_types: z.boolean().optional() }),
  })
  .partial();

export const seedConfigInput = z
  .strictObject({
    ...sharedShape,
    column_types: z.record(name, name),
    delimiter: z.string().length(1, 'must be a single character'),
    quote_columns: z.boolean(),
  })
  .partial();

export const testConfigInput = z
  .strictObject({
    enabled: z.boolean(),
    severity: z
      .string()
      .transform((value) => value.toLowerCase())
      .pipe(z.enum(['error', 'warn'])),
    where: name.nullable(),
    tags: stringOrList,
    meta: z.record(z.string(), z.unknown()),
    limit: z.number().int().positive().nullable(),
    warn_if: name,
    error_if: name,
    fail_calc: name,
    store_failures: z.boolean().nullable(),
    // https://docs.getdbt.com/reference/resource-configs/store_failures_as
    store_failures_as: z.enum(['table', 'view', 'ephemeral']).nullable(),
    // Where stored failures go: the schema through generate_schema_name, the alias as the relation's name.
    schema: name.nullable(),
    alias: name.nullable(),
  })
  .partial();

export const sourceConfigInput = z
  .strictObject({
    enabled: z.boolean(),
    tags: stringOrList,
    meta: z.record(z.string(), z.unknown()),
  })
  .partial();

// A snapshot's keys as dbt documents them (https://docs.getdbt.com/reference/snapshot-configs,
// https://docs.getdbt.com/reference/resource-configs/hard-deletes). target_schema and
// invalidate_hard_deletes are dbt's legacy spellings; database keys are accepted and unused,
// as every relation lives in the target's database.
export const SNAPSHOT_STRATEGIES = ['timestamp', 'check'] as const;
export const HARD_DELETES = ['ignore', 'invalidate', 'new_record'] as const;
export const snapshotConfigInput = z
  .strictObject({
    ...sharedShape,
    materialized: z.literal('snapshot'),
    unique_key: stringOrList,
    strategy: z.enum(SNAPSHOT_STRATEGIES),
    updated_at: name,
    check_cols: z.union([z.literal('all'), z.array(name).min(1)], { error: "must be 'all' or a list of column names" }),
    hard_deletes: z.enum(HARD_DELETES),
    invalidate_hard_deletes: z.boolean(),
    target_schema: name,
    target_database: name,
    database: name,
    dist: name,
    sort: stringOrList,
    pre_hook: stringOrList,
    post_hook: stringOrList,
  })
  .partial();

export type ModelConfigInput = z.input<typeof modelConfigInput>;
export type ConfigKind = 'model' | 'seed' | 'test' | 'source' | 'snapshot';

export const CONFIG_INPUTS = {
  model: modelConfigInput,
  seed: seedConfigInput,
  test: testConfigInput,
  source: sourceConfigInput,
  snapshot: snapshotConfigInput,
} as const;

/** A validated, partial layer of configuration (folder, schema.yml or config() call). */
export type ConfigLayer = Record<string, unknown>;

export interface ModelConfig {
  enabled: boolean;
  materialized: Materialization;
  schema: string | null;
  alias: string | null;
  tags: string[];
  meta: Record<string, unknown>;
  unique_key: string[] | null;
  incremental_strategy: IncrementalStrategy | null;
  on_schema_change: (typeof ON_SCHEMA_CHANGE)[number];
  grants: Record<string, string[]>;
  dist: string | null;
  sort: string[];
  sort_type: 'compound' | 'interleaved' | null;
  bind: boolean | null;
  indexes: Array<{ columns: string[]; unique: boolean; type: string | null }>;
  partition_by: { field: string; data_type: string | null; granularity: string | null } | null;
  full_refresh: boolean | null;
  pre_hook: string[];
  post_hook: string[];
  /** dbt's model contract: the query must return the columns schema.yml declares, with their types. */
  contract: { enforced: boolean; alias_types: boolean };
}

/** A snapshot builds a table like a model; these say how its history is kept. */
export interface SnapshotConfig extends ModelConfig {
  strategy: (typeof SNAPSHOT_STRATEGIES)[number] | null;
  updated_at: string | null;
  /** 'all' or the columns compared by the check strategy; null when not set. */
  check_cols: 'all' | string[] | null;
  hard_deletes: (typeof HARD_DELETES)[number];
  /** Used as written, without generate_schema_name (dbt's legacy key). */
  target_schema: string | null;
}

export interface SeedConfig {
  enabled: boolean;
  schema: string | null;
  alias: string | null;
  tags: string[];
  meta: Record<string, unknown>;
  grants: Record<string, string[]>;
  full_refresh: boolean | null;
  column_types: Record<string, string>;
  delimiter: string;
  quote_columns: boolean;
}

export interface TestConfig {
  enabled: boolean;
  severity: 'error' | 'warn';
  where: string | null;
  tags: string[];
  meta: Record<string, unknown>;
  limit: number | null;
  warn_if: string;
  error_if: string;
  fail_calc: string;
  store_failures: boolean | null;
  store_failures_as: 'table' | 'view' | 'ephemeral' | null;
  /** The custom schema of stored failures (default dbt_test__audit). */
  schema: string | null;
  alias: string | null;
}

export interface SourceConfig {
  enabled: boolean;
  tags: string[];
  meta: Record<string, unknown>;
}

/** Config keys valid for a kind, for did-you-mean hints. */
export function configKeys(kind: ConfigKind): string[] {
  return Object.keys(CONFIG_INPUTS[kind].shape);
}

/** `+materialized` → `materialized`, `post-hook` → `post_hook`: dbt accepts all spellings. */
export function normalizeConfigKey(key: string): string {
  const bare = key.startsWith('+') ? key.slice(1) : key;
  return bare === 'pre-hook' ? 'pre_hook' : bare === 'post-hook' ? 'post_hook' : bare;
}

export function normalizeConfigKeys(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) out[normalizeConfigKey(key)] = value;
  return out;
}

/**
 * Merges layers from least to most specific like dbt: tags and hooks accumulate, meta and
 * grants merge key by key, everything else is replaced by the more specific layer.
 */
export function mergeConfigLayers(...layers: Array<ConfigLayer | undefined>): ConfigLayer {
  const merged: ConfigLayer = {};
  for (const layer of layers) {
    if (!layer) continue;
    for (const [key, value] of Object.entries(layer)) {
      if (value === undefined) continue;
      if (key === 'tags' || key === 'pre_hook' || key === 'post_hook') {
        const before = toList(merged[key]);
        merged[key] = key === 'tags' ? [...new Set([...before, ...toList(value)])] : [...before, ...toList(value)];
      } else if (key === 'meta' || key === 'grants' || key === 'column_types' || key === 'contract') {
        merged[key] = { ...(merged[key] as Record<string, unknown> | undefined), ...(value as Record<string, unknown>) };
      } else {
        merged[key] = value;
      }
    }
  }
  return merged;
}

export function resolveModelConfig(layer: ConfigLayer): ModelConfig {
  const materialized = (layer.materialized as Materialization | undefined) ?? 'view';
  const uniqueKey = layer.unique_key === undefined ? null : toList(layer.unique_key);
  let strategy = (layer.incremental_strategy as IncrementalStrategy | undefined) ?? null;
  // The dbt-postgres/dbt-redshift default: replace matching keys when there is a key, else append.
  if (materialized === 'incremental' && strategy === null) strategy = uniqueKey ? 'delete+insert' : 'append';
  const partition = layer.partition_by as string | { field: string; data_type?: string; granularity?: string } | undefined;
  return {
    enabled: (layer.enabled as boolean | undefined) ?? true,
    materialized,
    schema: (layer.schema as string | null | undefined) ?? null,
    alias: (layer.alias as string | null | undefined) ?? null,
    tags: toList(layer.tags),
    meta: { ...(layer.meta as Record<string, unknown> | undefined) },
    unique_key: uniqueKey,
    incremental_strategy: strategy,
    on_schema_change: (layer.on_schema_change as ModelConfig['on_schema_change'] | undefined) ?? 'ignore',
    grants: normalizeGrants(layer.grants),
    dist: (layer.dist as string | undefined) ?? null,
    sort: toList(layer.sort),
    sort_type: (layer.sort_type as ModelConfig['sort_type'] | undefined) ?? null,
    bind: (layer.bind as boolean | undefined) ?? null,
    indexes: ((layer.indexes as Array<{ columns: string[]; unique?: boolean; type?: string }> | undefined) ?? []).map((index) => ({
      columns: index.columns,
      unique: index.unique ?? false,
      type: index.type ?? null,
    })),
    partition_by:
      partition === undefined
        ? null
        : typeof partition === 'string'
          ? { field: partition, data_type: null, granularity: null }
          : { field: partition.field, data_type: partition.data_type ?? null, granularity: partition.granularity ?? null },
    full_refresh: (layer.full_refresh as boolean | null | undefined) ?? null,
    pre_hook: toList(layer.pre_hook),
    post_hook: toList(layer.post_hook),
    contract: {
      enforced: (layer.contract as { enforced?: boolean } | undefined)?.enforced ?? false,
      alias_types: (layer.contract as { alias_types?: boolean } | undefined)?.alias_types ?? true,
    },
  };
}

export function resolveSnapshotConfig(layer: ConfigLayer): SnapshotConfig {
  const model = resolveModelConfig({ ...layer, materialized: 'table' });
  const checkCols = layer.check_cols as 'all' | string[] | undefined;
  // invalidate_hard_deletes: true is the legacy spelling of hard_deletes: invalidate.
  const hardDeletes = (layer.hard_deletes as SnapshotConfig['hard_deletes'] | undefined) ?? (layer.invalidate_hard_deletes === true ? 'invalidate' : 'ignore');
  return {
    ...model,
    incremental_strategy: null,
    strategy: (layer.strategy as SnapshotConfig['strategy'] | undefined) ?? null,
    updated_at: (layer.updated_at as string | undefined) ?? null,
    check_cols: checkCols === undefined ? null : checkCols,
    hard_deletes: hardDeletes,
    target_schema: (layer.target_schema as string | undefined) ?? null,
  };
}

export function resolveSeedConfig(layer: ConfigLayer): SeedConfig {
  return {
    enabled: (layer.enabled as boolean | undefined) ?? true,
    schema: (layer.schema as string | null | undefined) ?? null,
    alias: (layer.alias as string | null | undefined) ?? null,
    tags: toList(layer.tags),
    meta: { ...(layer.meta as Record<string, unknown> | undefined) },
    grants: normalizeGrants(layer.grants),
    full_refresh: (layer.full_refresh as boolean | null | undefined) ?? null,
    column_types: { ...(layer.column_types as Record<string, string> | undefined) },
    delimiter: (layer.delimiter as string | undefined) ?? ',',
    quote_columns: (layer.quote_columns as boolean | undefined) ?? false,
  };
}

export function resolveTestConfig(layer: ConfigLayer): TestConfig {
  return {
    enabled: (layer.enabled as boolean | undefined) ?? true,
    severity: (layer.severity as 'error' | 'warn' | undefined) ?? 'error',
    where: (layer.where as string | null | undefined) ?? null,
    tags: toList(layer.tags),
    meta: { ...(layer.meta as Record<string, unknown> | undefined) },
    limit: (layer.limit as number | null | undefined) ?? null,
    warn_if: (layer.warn_if as string | undefined) ?? '!= 0',
    error_if: (layer.error_if as string | undefined) ?? '!= 0',
    fail_calc: (layer.fail_calc as string | undefined) ?? 'count(*)',
    store_failures: (layer.store_failures as boolean | null | undefined) ?? null,
    store_failures_as: (layer.store_failures_as as TestConfig['store_failures_as'] | undefined) ?? null,
    schema: (layer.schema as string | null | undefined) ?? null,
    alias: (layer.alias as string | null | undefined) ?? null,
  };
}

export function resolveSourceConfig(layer: ConfigLayer): SourceConfig {
  return {
    enabled: (layer.enabled as boolean | undefined) ?? true,
    tags: toList(layer.tags),
    meta: { ...(layer.meta as Record<string, unknown> | undefined) },
  };
}

export function toList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

function normalizeGrants(value: unknown): Record<string, string[]> {
  const grants: Record<string, string[]> = {};
  for (const [privilege, grantees] of Object.entries((value as Record<string, unknown> | undefined) ?? {})) {
    grants[privilege.toLowerCase()] = toList(grantees);
  }
  return grants;
}
