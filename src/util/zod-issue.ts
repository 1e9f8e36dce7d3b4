// Turns the first zod issue into one sentence naming the key path, with a did-you-mean for an
// unknown key: the one formatter of validation errors for pgshift.yml and schema.yml alike
// (`models/schema.yml: unknown key models.orders.columns.status.descripton; did you mean …`).

import type { z } from 'zod';
import { didYouMean } from './suggest.js';

/**
 * A readable key path. List items that carry a `name` are shown by name (`models.orders`)
 * because that is how people find them in the file; others by index (`data_tests[1]`).
 */
export function formatKeyPath(path: readonly PropertyKey[], input: unknown): string {
  let text = '';
  let cursor: unknown = input;
  for (const key of path) {
    if (typeof key === 'number') {
      const item = Array.isArray(cursor) ? cursor[key] : undefined;
      const name = isRecord(item) && typeof item.name === 'string' ? item.name : undefined;
      text += name !== undefined ? `${text ? '.' : ''}${name}` : `[${key}]`;
      cursor = item;
    } else {
      text += `${text ? '.' : ''}${String(key)}`;
      cursor = isRecord(cursor) ? cursor[String(key)] : undefined;
    }
  }
  return text;
}

/** One line for the first issue, `knownKeys` feeding the did-you-mean of unknown keys. */
export function describeZodIssue(
  issue: z.core.$ZodIssue,
  input: unknown,
  prefix: string,
  knownKeys?: (path: readonly PropertyKey[]) => readonly string[],
): string {
  const at = (path: readonly PropertyKey[]): string => {
    const keyPath = [prefix, formatKeyPath(path, input)].filter(Boolean).join('.');
    return keyPath || '(top level)';
  };
  switch (issue.code) {
    case 'unrecognized_keys': {
      const key = issue.keys[0]!;
      const hint = knownKeys ? didYouMean(key, knownKeys(issue.path)) : '';
      return `unknown key ${at([...issue.path, key])}${hint}`;
    }
    case 'invalid_type': {
      const value = valueAt(input, issue.path);
      if (value === undefined) return `${at(issue.path)} is required (expected ${issue.expected})`;
      // `orders:` with nothing after it is YAML's null: say so rather than "got object".
      if (value === null) return `${at(issue.path)} is empty; it must be ${article(issue.expected)}`;
      return `${at(issue.path)} must be ${article(issue.expected)}, got ${typeName(value)}`;
    }
    case 'invalid_value':
      if (issue.values.length === 1) return `${at(issue.path)} must be ${String(issue.values[0])}, got ${JSON.stringify(valueAt(input, issue.path))}`;
      return `${at(issue.path)} must be one of ${issue.values.map(String).join(', ')}, got ${JSON.stringify(valueAt(input, issue.path))}`;
    default:
      return `${at(issue.path)} ${issue.message}`;
  }
}

/**
 * The keys a strict object of `schema` allows at `path` (record keys and list indexes are
 * stepped over), for the did-you-mean of an unknown key; empty when the path leads elsewhere.
 */
export function knownKeysAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): string[] {
  const keys = new Set<string>();
  const visit = (type: z.core.$ZodType, rest: readonly PropertyKey[]): void => {
    const def = type._zod.def as unknown as Record<string, unknown> & { type: string };
    const inner = (name: string): z.core.$ZodType => def[name] as z.core.$ZodType;
    switch (def.type) {
      case 'optional':
      case 'nullable':
      case 'default':
      case 'prefault':
      case 'readonly':
      case 'catch':
        visit(inner('innerType'), rest);
        return;
      case 'pipe':
        visit(inner('in'), rest);
        return;
      case 'union':
        for (const option of def.options as z.core.$ZodType[]) visit(option, rest);
        return;
      case 'record':
        if (rest.length > 0) visit(inner('valueType'), rest.slice(1));
        return;
      case 'array':
        if (rest.length > 0) visit(inner('element'), rest.slice(1));
        return;
      case 'object': {
        const shape = def.shape as Record<string, z.core.$ZodType>;
        if (rest.length === 0) for (const key of Object.keys(shape)) keys.add(key);
        else if (shape[String(rest[0])]) visit(shape[String(rest[0])]!, rest.slice(1));
        return;
      }
      default:
        return;
    }
  };
  visit(schema, path);
  return [...keys];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let cursor = input;
  for (const key of path) {
    if (Array.isArray(cursor) && typeof key === 'number') cursor = cursor[key];
    else if (isRecord(cursor)) cursor = cursor[String(key)];
    else return undefined;
  }
  return cursor;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (isRecord(value)) return 'a mapping';
  return typeof value;
}

function article(expected: string): string {
  if (expected === 'record' || expected === 'object') return 'a mapping';
  if (expected === 'array') return 'a list';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}
