// The selector grammar: `[@][n+]method:value[+n]` criteria, commas for intersection, spaces
// (and repeated --select flags) for union. Parsing only; selectNodes evaluates.

import { ConfigError } from '../errors.js';
import { splitOutsideQuotes } from '../util/quoted-names.js';
import { didYouMean, didYouMeanAside } from '../util/suggest.js';

export const SELECTOR_METHODS = [
  'fqn',
  'path',
  'file',
  'tag',
  'source',
  'exposure',
  'resource_type',
  'config',
  'state',
  'result',
  'test_name',
  'test_type',
  'package',
  'selector',
] as const;
export type SelectorMethod = (typeof SELECTOR_METHODS)[number];

export const INDIRECT_SELECTION_MODES = ['eager', 'cautious', 'buildable', 'empty'] as const;
export type IndirectSelection = (typeof INDIRECT_SELECTION_MODES)[number];

export const RESOURCE_TYPES = ['model', 'seed', 'snapshot', 'test', 'unit_test', 'source'] as const;
export const STATE_VALUES = ['new', 'old', 'modified', 'unmodified', 'modified.body', 'modified.configs', 'modified.macros'] as const;
export const RESULT_VALUES = ['success', 'error', 'fail', 'skipped', 'warn', 'pass'] as const;
export const TEST_TYPES = ['generic', 'singular', 'data', 'schema', 'unit'] as const;

export interface Criterion {
  /** The criterion as written, for warnings. */
  readonly raw: string;
  readonly method: SelectorMethod;
  /** `config.materialized` → ['materialized']. */
  readonly methodArgs: readonly string[];
  readonly value: string;
  readonly parents: boolean;
  readonly parentsDepth?: number;
  readonly children: boolean;
  readonly childrenDepth?: number;
  /** `@x`: x, its descendants, and every ancestor of those. */
  readonly childrensParents: boolean;
  readonly indirectSelection?: IndirectSelection;
}

export type SelectionSpec =
  | { readonly kind: 'criterion'; readonly criterion: Criterion }
  | { readonly kind: 'union'; readonly items: readonly SelectionSpec[] }
  | { readonly kind: 'intersection'; readonly items: readonly SelectionSpec[] }
  | { readonly kind: 'difference'; readonly include: SelectionSpec; readonly exclude: SelectionSpec };

const CRITERION = /^(@)?(?:(\d*)\+)?(?:([A-Za-z_][\w.]*):)?(.*?)(?:\+(\d*))?$/;

/**
 * Union of every flag value, each split on whitespace outside double quotes (a quoted name may
 * hold spaces: `source:app."Order Lines"`); undefined when nothing was given.
 */
export function parseSelectionArgs(values: readonly string[], flag = '--select'): SelectionSpec | undefined {
  const terms = values.flatMap((value) => splitOutsideQuotes(value.trim(), ' \t\r\n'));
  if (terms.length === 0) return undefined;
  const items = terms.map((term): SelectionSpec => {
    const parts = splitOutsideQuotes(term, ',');
    if (parts.length === 1) return { kind: 'criterion', criterion: parseCriterion(parts[0]!, flag) };
    return { kind: 'intersection', items: parts.map((part) => ({ kind: 'criterion', criterion: parseCriterion(part, flag) })) };
  });
  return items.length === 1 ? items[0] : { kind: 'union', items };
}

/** Parses one criterion; `where` (a flag or a selectors.yml path) prefixes error messages. */
export function parseCriterion(text: string, where = '--select'): Criterion {
  const match = CRITERION.exec(text);
  if (!match) throw new ConfigError(`${where}: cannot parse selector '${text}'`);
  const [, at, parentsDepth, methodText, value = '', childrenDepth] = match;
  const parents = parentsDepth !== undefined;
  const children = childrenDepth !== undefined;
  if (at && parents) throw new ConfigError(`${where}: '${text}' combines @ with a leading +; use one of them`);
  const { method, methodArgs } = methodText === undefined ? { method: defaultMethod(value), methodArgs: [] } : resolveMethod(methodText, text, where);
  return buildCriterion(
    {
      raw: text,
      method,
      methodArgs,
      value,
      parents,
      parentsDepth: parentsDepth ? Number(parentsDepth) : undefined,
      children,
      childrenDepth: childrenDepth ? Number(childrenDepth) : undefined,
      childrensParents: Boolean(at),
    },
    where,
  );
}

/** Validates a criterion built from parts (selectors.yml full form goes through here too). */
export function buildCriterion(criterion: Criterion, where: string): Criterion {
  const { method, value, raw } = criterion;
  const fail = (problem: string): never => {
    throw new ConfigError(`${where}: '${raw}' ${problem}`);
  };
  if (value === '') fail('has no value to match');
  const oneOf = (allowed: readonly string[]): void => {
    if (!allowed.includes(value)) fail(`has an unknown ${method} value; use one of ${allowed.join(', ')}${didYouMean(value, allowed)}`);
  };
  if (method === 'resource_type') oneOf(RESOURCE_TYPES);
  if (method === 'state') oneOf(STATE_VALUES);
  if (method === 'result') oneOf(RESULT_VALUES);
  if (method === 'test_type') oneOf(TEST_TYPES);
  if (method === 'config' && criterion.methodArgs.length === 0) fail('needs a config key: config.materialized:table');
  if (method === 'selector' && (criterion.parents || criterion.children || criterion.childrensParents)) {
    fail('cannot use graph operators on a selector: reference; put them inside the selector definition');
  }
  return criterion;
}

export function resolveMethod(methodText: string, raw: string, where: string): { method: SelectorMethod; methodArgs: string[] } {
  const [base = '', ...methodArgs] = methodText.split('.');
  if (!(SELECTOR_METHODS as readonly string[]).includes(base)) {
    throw new ConfigError(
      `${where}: unknown selector method '${methodText}' in '${raw}'${didYouMeanAside(base, SELECTOR_METHODS)}; valid methods are ${SELECTOR_METHODS.map((name) => (name === 'config' ? 'config.<key>' : name)).join(', ')}`,
    );
  }
  if (base !== 'config' && methodArgs.length > 0) {
    throw new ConfigError(`${where}: selector method '${base}' takes no sub-key (in '${raw}')`);
  }
  return { method: base as SelectorMethod, methodArgs };
}

/** dbt's rule for a bare value: a path when it has a slash, a file when it has an extension, else fqn. */
function defaultMethod(value: string): SelectorMethod {
  if (value.includes('/') || value.includes('\\')) return 'path';
  if (/\.(sql|csv|ya?ml)$/.test(value)) return 'file';
  return 'fqn';
}
