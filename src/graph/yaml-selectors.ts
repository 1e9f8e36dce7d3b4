// selectors.yml (dbt's format): named selections built from CLI-style strings, `method: value`
// pairs, full `{method, value, parents, children, …}` mappings, and `union` / `intersection`
// lists that may hold `exclude` entries. Used with `--selector name`.

import { ConfigError } from '../errors.js';
import type { SelectorEntry } from '../manifest/manifest.js';
import { didYouMean } from '../util/suggest.js';
import { readYaml } from '../config/read-yaml.js';
import { isRecord } from '../util/zod-issue.js';
import {
  buildCriterion,
  INDIRECT_SELECTION_MODES,
  parseSelectionArgs,
  resolveMethod,
  SELECTOR_METHODS,
  type IndirectSelection,
  type SelectionSpec,
} from './selector-spec.js';

const FULL_FORM_KEYS = ['method', 'value', 'parents', 'children', 'parents_depth', 'children_depth', 'childrens_parents', 'indirect_selection', 'exclude'];

/** Reads and checks selectors.yml; every definition is converted once so mistakes surface at compile time. */
export function parseSelectorsFile(text: string, file: string): Record<string, SelectorEntry> {
  const raw: unknown = readYaml(text, file) ?? {};
  if (!isRecord(raw) || !Array.isArray(raw.selectors)) throw new ConfigError(`${file}: must hold a list under selectors:`, { file });
  const unknownTop = Object.keys(raw).find((key) => key !== 'selectors');
  if (unknownTop) throw new ConfigError(`${file}: unknown key ${unknownTop}`, { file });
  const entries: Record<string, SelectorEntry> = {};
  raw.selectors.forEach((item: unknown, index: number) => {
    const where = `${file}: selectors[${index}]`;
    if (!isRecord(item)) throw new ConfigError(`${where} must be a mapping with name and definition`, { file });
    const extra = Object.keys(item).find((key) => !['name', 'description', 'default', 'definition'].includes(key));
    if (extra) throw new ConfigError(`${where}: unknown key ${extra}`, { file });
    if (typeof item.name !== 'string' || item.name === '') throw new ConfigError(`${where}.name is required`, { file });
    if (item.definition === undefined) throw new ConfigError(`${file}: selectors.${item.name}.definition is required`, { file });
    if (entries[item.name]) throw new ConfigError(`${file}: selector '${item.name}' is defined twice`, { file });
    if (item.default !== undefined && typeof item.default !== 'boolean')
      throw new ConfigError(`${file}: selectors.${item.name}.default must be true or false`, { file });
    entries[item.name] = {
      name: item.name,
      description: typeof item.description === 'string' ? item.description : '',
      default: item.default === true,
      definition: item.definition,
    };
  });
  const defaults = Object.values(entries).filter((entry) => entry.default);
  if (defaults.length > 1)
    throw new ConfigError(`${file}: only one selector may be default: true (found ${defaults.map((entry) => entry.name).join(', ')})`, { file });
  for (const name of Object.keys(entries)) selectorSpec(entries, name, file);
  return entries;
}

/** The selection a named selector stands for. */
export function selectorSpec(entries: Readonly<Record<string, SelectorEntry>>, name: string, file = 'selectors.yml', visiting: string[] = []): SelectionSpec {
  const entry = entries[name];
  if (!entry) {
    const known = Object.keys(entries);
    throw new ConfigError(`--selector ${name}: no such selector in ${file}${didYouMean(name, known)}${known.length ? ` (defined: ${known.join(', ')})` : ''}`);
  }
  if (visiting.includes(name)) throw new ConfigError(`${file}: selectors refer to each other in a loop: ${[...visiting, name].join(' -> ')}`);
  return definitionSpec(entry.definition, `${file}: selectors.${name}.definition`, (other) => selectorSpec(entries, other, file, [...visiting, name]));
}

function definitionSpec(definition: unknown, where: string, resolve: (name: string) => SelectionSpec): SelectionSpec {
  if (typeof definition === 'string') {
    const spec = parseSelectionArgs([definition], where);
    if (!spec) throw new ConfigError(`${where} is empty`);
    return spec;
  }
  if (!isRecord(definition)) throw new ConfigError(`${where} must be a selector string or a mapping`);
  if ('union' in definition || 'intersection' in definition) {
    const kind = 'union' in definition ? 'union' : 'intersection';
    const extra = Object.keys(definition).find((key) => key !== kind);
    if (extra) throw new ConfigError(`${where}: unknown key ${extra} beside ${kind}`);
    const list = definition[kind];
    if (!Array.isArray(list) || list.length === 0) throw new ConfigError(`${where}.${kind} must be a non-empty list`);
    const items: SelectionSpec[] = [];
    const excludes: SelectionSpec[] = [];
    list.forEach((item: unknown, index: number) => {
      const itemWhere = `${where}.${kind}[${index}]`;
      if (isRecord(item) && Object.keys(item).length === 1 && 'exclude' in item) excludes.push(excludeSpec(item.exclude, `${itemWhere}.exclude`, resolve));
      else items.push(definitionSpec(item, itemWhere, resolve));
    });
    if (items.length === 0) throw new ConfigError(`${where}.${kind} has only exclude entries; add something to select`);
    const combined: SelectionSpec = items.length === 1 ? items[0]! : { kind, items };
    return excludes.length === 0 ? combined : { kind: 'difference', include: combined, exclude: unionOf(excludes) };
  }
  if ('method' in definition) return fullFormSpec(definition, where, resolve);
  const keys = Object.keys(definition);
  if (keys.length === 1 && (SELECTOR_METHODS as readonly string[]).includes(keys[0]!.split('.')[0]!)) {
    return fullFormSpec({ method: keys[0], value: definition[keys[0]!] }, where, resolve);
  }
  throw new ConfigError(`${where} must be a string, {method, value}, {<method>: <value>}, {union: [...]} or {intersection: [...]}`);
}

function fullFormSpec(definition: Record<string, unknown>, where: string, resolve: (name: string) => SelectionSpec): SelectionSpec {
  const extra = Object.keys(definition).find((key) => !FULL_FORM_KEYS.includes(key));
  if (extra) throw new ConfigError(`${where}: unknown key ${extra}${didYouMean(extra, FULL_FORM_KEYS)}`);
  const { method, value } = definition;
  if (typeof method !== 'string') throw new ConfigError(`${where}.method must be a string`);
  if (typeof value !== 'string' && typeof value !== 'number') throw new ConfigError(`${where}.value must be a string`);
  const raw = `${method}:${value}`;
  const resolved = resolveMethod(method, raw, where);
  const flag = (key: string): boolean => {
    const flagValue = definition[key];
    if (flagValue !== undefined && typeof flagValue !== 'boolean') throw new ConfigError(`${where}.${key} must be true or false`);
    return flagValue === true;
  };
  const depth = (key: string): number | undefined => {
    const depthValue = definition[key];
    if (depthValue === undefined) return undefined;
    if (typeof depthValue !== 'number' || !Number.isInteger(depthValue) || depthValue < 1)
      throw new ConfigError(`${where}.${key} must be a positive whole number`);
    return depthValue;
  };
  const indirect = definition.indirect_selection;
  if (indirect !== undefined && !(INDIRECT_SELECTION_MODES as readonly unknown[]).includes(indirect)) {
    throw new ConfigError(`${where}.indirect_selection must be one of ${INDIRECT_SELECTION_MODES.join(', ')}`);
  }
  const parentsDepth = depth('parents_depth');
  const childrenDepth = depth('children_depth');
  const criterion = buildCriterion(
    {
      raw,
      method: resolved.method,
      methodArgs: resolved.methodArgs,
      value: String(value),
      parents: flag('parents') || parentsDepth !== undefined,
      parentsDepth,
      children: flag('children') || childrenDepth !== undefined,
      childrenDepth,
      childrensParents: flag('childrens_parents'),
      indirectSelection: indirect as IndirectSelection | undefined,
    },
    where,
  );
  const spec: SelectionSpec = criterion.method === 'selector' ? resolve(criterion.value) : { kind: 'criterion', criterion };
  if (definition.exclude === undefined) return spec;
  return { kind: 'difference', include: spec, exclude: excludeSpec(definition.exclude, `${where}.exclude`, resolve) };
}

function excludeSpec(value: unknown, where: string, resolve: (name: string) => SelectionSpec): SelectionSpec {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw new ConfigError(`${where} must list what to exclude`);
  return unionOf(list.map((item: unknown, index: number) => definitionSpec(item, `${where}[${index}]`, resolve)));
}

function unionOf(items: SelectionSpec[]): SelectionSpec {
  return items.length === 1 ? items[0]! : { kind: 'union', items };
}
