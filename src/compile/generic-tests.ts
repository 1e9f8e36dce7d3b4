// Generic test entries of schema.yml (`unique`, `{accepted_values: {values: […]}}`, …):
// their parsed form, and dbt's deterministic names (`unique_orders_order_id`,
// `relationships_orders_customer_id__customer_id__ref_customers_`).

import { createHash } from 'node:crypto';
import { ConfigError } from '../errors.js';
import type { TestEntry } from './schema-yml.js';
import { isRecord } from '../util/zod-issue.js';

export interface GenericTestSpec {
  /** Test name without namespace: `accepted_values`; the macro is `test_<testName>`. */
  readonly testName: string;
  readonly namespace: string | null;
  readonly customName: string | null;
  /** Arguments for the macro (besides model and column_name). */
  readonly args: Record<string, unknown>;
  /** Config written on the test: `config:` plus dbt's legacy top-level severity/where/…. */
  readonly config: Record<string, unknown>;
  readonly keyPath: string;
}

// Keys dbt accepts beside a test's arguments that are really config.
const CONFIG_ARGS = new Set([
  'severity',
  'tags',
  'enabled',
  'where',
  'limit',
  'warn_if',
  'error_if',
  'fail_calc',
  'store_failures',
  'store_failures_as',
  'meta',
]);
const TEST_NAME = /^(?:([A-Za-z_]\w*)\.)?([A-Za-z_]\w*)$/;

export function parseTestEntry(entry: TestEntry, file: string): GenericTestSpec {
  const fail = (problem: string): never => {
    throw new ConfigError(`${file}: ${entry.keyPath} ${problem}`, { file });
  };
  const { definition } = entry;
  let fullName: string;
  let body: Record<string, unknown>;
  if (typeof definition === 'string') {
    fullName = definition;
    body = {};
  } else if (isRecord(definition) && typeof definition.test_name === 'string') {
    const { test_name: testName, ...rest } = definition;
    fullName = testName;
    body = rest;
  } else if (isRecord(definition) && Object.keys(definition).length === 1) {
    const [key, value] = Object.entries(definition)[0]!;
    fullName = key;
    if (value !== null && !isRecord(value)) fail(`must map the test name ${key} to its arguments (a mapping)`);
    body = (value as Record<string, unknown> | null) ?? {};
  } else {
    return fail('must be a test name or a mapping with exactly one test name: {accepted_values: {values: […]}}');
  }
  const match = TEST_NAME.exec(fullName);
  if (!match) return fail(`names an invalid test '${fullName}'`);
  const { name, config, arguments: nestedArgs, ...rest } = body;
  if (name !== undefined && typeof name !== 'string') fail('name must be a string');
  if (config !== undefined && !isRecord(config)) fail('config must be a mapping');
  if (nestedArgs !== undefined && !isRecord(nestedArgs)) fail('arguments must be a mapping');
  const args: Record<string, unknown> = {};
  const legacyConfig: Record<string, unknown> = {};
  for (const [key, value] of Object.entries({ ...rest, ...(nestedArgs as Record<string, unknown> | undefined) })) {
    if (CONFIG_ARGS.has(key)) legacyConfig[key] = value;
    else args[key] = value;
  }
  if ('model' in args || 'column_name' in args) fail('must not set model or column_name; they come from where the test is written');
  return {
    testName: match[2]!,
    namespace: match[1] ?? null,
    customName: (name as string | undefined) ?? null,
    args,
    config: { ...legacyConfig, ...(config as Record<string, unknown> | undefined) },
    keyPath: entry.keyPath,
  };
}

/**
 * dbt's synthetic name: `<type>_<target>_<flattened arguments>`, where the arguments (column
 * included, sorted by key) are flattened, cleaned to [0-9A-Za-z_] and joined with `__`. Names
 * of 64 characters or more get a short form (prefix + md5) for file names.
 */
export function syntheticTestName(testType: string, targetName: string, args: Record<string, unknown>): { name: string; shortName: string } {
  const flat: string[] = [];
  for (const key of Object.keys(args).sort()) {
    if (key === 'model') continue;
    const value = args[key];
    const parts = Array.isArray(value) ? value : isRecord(value) ? Object.values(value) : [value];
    for (const part of parts) flat.push(pythonStr(part));
  }
  const unique = flat.map((part) => part.replace(/[^0-9a-zA-Z_]+/g, '_')).join('__');
  const identifier = `${testType}_${targetName}`;
  const name = `${identifier}_${unique}`;
  if (name.length < 64) return { name, shortName: name };
  return { name, shortName: `${identifier.slice(0, 30)}_${createHash('md5').update(name).digest('hex')}` };
}

/** How Python's str() prints a YAML value, so names match the ones dbt gives. */
function pythonStr(value: unknown): string {
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** `ref('customers')` / `source('shop', 'orders')` written as a string argument. */
export function parseRelationArgument(value: string): { kind: 'ref'; name: string } | { kind: 'source'; source: string; table: string } | undefined {
  const match = /^\s*(ref|source)\(\s*(['"])([^'"]+)\2\s*(?:,\s*(['"])([^'"]+)\4\s*)?\)\s*$/.exec(value);
  if (!match) return undefined;
  if (match[1] === 'ref') return { kind: 'ref', name: match[5] ?? match[3]! };
  if (match[5] === undefined) return undefined;
  return { kind: 'source', source: match[3]!, table: match[5] };
}
