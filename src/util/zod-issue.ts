// Turns the first zod issue into one sentence naming the file and the key path, the same way
// pgshift.yml errors read (`models/schema.yml: models.orders.columns.status.descripton: …`).

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
export function describeZodIssue(issue: z.core.$ZodIssue, input: unknown, prefix: string, knownKeys?: (path: readonly PropertyKey[]) => readonly string[]): string {
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
      if (valueAt(input, issue.path) === undefined) return `${at(issue.path)} is required (expected ${issue.expected})`;
      return `${at(issue.path)} must be ${article(issue.expected)}, got ${typeName(valueAt(input, issue.path))}`;
    }
    case 'invalid_value':
      if (issue.values.length === 1) return `${at(issue.path)} must be ${String(issue.values[0])}, got ${JSON.stringify(valueAt(input, issue.path))}`;
      return `${at(issue.path)} must be one of ${issue.values.map(String).join(', ')}, got ${JSON.stringify(valueAt(input, issue.path))}`;
    default:
      return `${at(issue.path)} ${issue.message}`;
  }
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
