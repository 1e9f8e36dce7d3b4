// What each selector method matches on one node: fqn (the default), path, file, tag, source,
// resource_type, config.<key>, state (against a previous manifest), result (against a previous
// run_results.json), test_name, test_type and package.

import path from 'node:path';
import type { AnyNode, Manifest } from '../manifest/manifest.js';
import { getNode } from '../manifest/manifest.js';
import { globMatch, hasWildcard } from './glob.js';
import type { Criterion } from './selector-spec.js';
import { hasQuotes, type NamePart, splitDottedName } from '../util/quoted-names.js';

export interface MethodContext {
  readonly manifest: Manifest;
  readonly state?: Manifest;
  /** unique_id → status from the previous run_results.json. */
  readonly results?: ReadonlyMap<string, string>;
}

export function matchesCriterion(node: AnyNode, criterion: Criterion, context: MethodContext): boolean {
  const { value } = criterion;
  switch (criterion.method) {
    case 'fqn':
      return matchesFqn(node, value, context.manifest.metadata.project_name);
    case 'path':
      return matchesPath(node.original_file_path, value);
    case 'file': {
      const base = path.posix.basename(node.original_file_path);
      return globMatch(value, base) || globMatch(value, base.replace(/\.[^.]+$/, ''));
    }
    case 'tag':
      return node.tags.some((tag) => globMatch(value, tag));
    case 'source': {
      if (node.resource_type !== 'source') return false;
      const [sourcePattern, tablePattern, ...rest] = splitDottedName(value);
      if (!sourcePattern || rest.length > 0) return false;
      return namePartMatch(sourcePattern, node.source_name) && (tablePattern === undefined || namePartMatch(tablePattern, node.table_name));
    }
    case 'resource_type':
      return node.resource_type === value;
    case 'config':
      return matchesConfig(lookup(node.config, criterion.methodArgs), value);
    case 'state':
      return matchesState(node, value, context);
    case 'result':
      return context.results?.get(node.unique_id) === value;
    case 'test_name':
      return node.resource_type === 'test' && globMatch(value, node.test_metadata?.name ?? node.name);
    case 'test_type': {
      // `unit` picks unit tests; `data` every data test, generic or singular:
      // https://docs.getdbt.com/reference/node-selection/methods#test_type
      if (node.resource_type === 'unit_test') return value === 'unit';
      if (node.resource_type !== 'test' || value === 'unit') return false;
      if (value === 'data') return true;
      const generic = node.test_metadata !== null;
      return value === 'generic' || value === 'schema' ? generic : !generic;
    }
    case 'package':
      return globMatch(value, node.package_name);
    case 'selector':
      // Expanded by selectNodes before methods are asked.
      return false;
    case 'exposure':
      // Exposures are not nodes that run; selectNodes matches them itself.
      return false;
  }
}

/**
 * dbt's fqn rule: the node's name equals the value, or the dotted value is a prefix of the
 * fqn (with or without the project name), where a part holding a wildcard matches the rest
 * of the fqn. A dot-free wildcard also matches names (`stg_*`), which is what people expect.
 */
function matchesFqn(node: AnyNode, value: string, projectName: string): boolean {
  if (value === '*') return true;
  if (hasQuotes(value)) return quotedFqnMatch(node, splitDottedName(value), projectName);
  const name = node.resource_type === 'source' ? node.table_name : node.name;
  if (name === value || (!value.includes('.') && hasWildcard(value) && globMatch(value, name))) return true;
  return fqnPrefixMatch(node.fqn, value) || fqnPrefixMatch(node.fqn, `${projectName}.${value}`);
}

/** A quoted part equals, an unquoted one globs. */
function namePartMatch(part: NamePart, text: string): boolean {
  return part.quoted ? part.text === text : globMatch(part.text, text);
}

/** `"Order Lines"` names a node; `app."Order Lines"` is a prefix of its fqn, part by part. */
function quotedFqnMatch(node: AnyNode, parts: readonly NamePart[], projectName: string): boolean {
  const name = node.resource_type === 'source' ? node.table_name : node.name;
  if (parts.length === 1 && namePartMatch(parts[0]!, name)) return true;
  const prefixOf = (fqn: readonly string[]) => fqn.length >= parts.length && parts.every((part, index) => namePartMatch(part, fqn[index]!));
  return prefixOf(node.fqn) || (node.fqn[0] === projectName && prefixOf(node.fqn.slice(1)));
}

const selectorParts = new Map<string, readonly string[]>();

// Called for every node of the graph with the same few selectors: the selector is split once,
// and an fqn is split only when one of its parts holds a dot.
function fqnPrefixMatch(fqn: readonly string[], selector: string): boolean {
  const flat = fqn.some((part) => part.includes('.')) ? fqn.flatMap((part) => part.split('.')) : fqn;
  let parts = selectorParts.get(selector);
  if (!parts) {
    parts = selector.split('.');
    selectorParts.set(selector, parts);
  }
  if (flat.length < parts.length) return false;
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index]!;
    if (hasWildcard(part)) return globMatch(parts.slice(index).join('.'), flat.slice(index).join('.'));
    if (flat[index] !== part) return false;
  }
  return true;
}

function matchesPath(filePath: string, value: string): boolean {
  const wanted = value.replace(/^\.\//, '').replace(/\/+$/, '');
  if (hasWildcard(wanted)) return globMatch(wanted, filePath) || globMatch(`${wanted}/*`, filePath);
  return filePath === wanted || filePath.startsWith(`${wanted}/`);
}

function lookup(config: unknown, keys: readonly string[]): unknown {
  let cursor = config;
  for (const key of keys) {
    if (typeof cursor !== 'object' || cursor === null) return undefined;
    cursor = (cursor as Record<string, unknown>)[key];
  }
  return cursor;
}

function matchesConfig(actual: unknown, value: string): boolean {
  if (actual === undefined || actual === null) return false;
  if (Array.isArray(actual)) return actual.some((item) => matchesConfig(item, value));
  if (typeof actual === 'object') return false;
  return globMatch(value, String(actual));
}

function matchesState(node: AnyNode, value: string, context: MethodContext): boolean {
  const previous = context.state ? getNode(context.state, node.unique_id) : undefined;
  const isNew = previous === undefined;
  if (value === 'new') return isNew;
  if (value === 'old') return !isNew;
  const body = !isNew && previous.checksum.checksum !== node.checksum.checksum;
  const configs = !isNew && stableJson(previous.config) !== stableJson(node.config);
  const macros = !isNew && macrosChanged(node, context);
  switch (value) {
    case 'modified.body':
      return body;
    case 'modified.configs':
      return configs;
    case 'modified.macros':
      return macros;
    case 'unmodified':
      return !isNew && !body && !configs && !macros;
    default:
      return isNew || body || configs || macros;
  }
}

function macrosChanged(node: AnyNode, context: MethodContext): boolean {
  const before = context.state!.macros;
  const now = context.manifest.macros;
  return node.depends_on.macros.some((id) => before[id]?.checksum.checksum !== now[id]?.checksum.checksum);
}

/** JSON with sorted keys, so configs compare by content. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}
