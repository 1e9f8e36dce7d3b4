// Python's methods on the values templates hold: `'a,b'.split(',')`, `cols.append(c)`,
// `d.items()`. Looked up by the template runtime (jinja-runtime.ts) before the JavaScript
// property of the same name, so `'x'.replace` replaces every occurrence as in Python; a
// dict's own key wins over a method name. Nothing is added to any prototype.

import { CompileError } from '../errors.js';
import { formatField } from './python-str-format.js';
import { isDict, pyRepr, pyStr } from './python-repr.js';

type Method = (self: never, args: unknown[], kwargs: Record<string, unknown>) => unknown;

export function pythonMethod(obj: unknown, name: string): ((...args: unknown[]) => unknown) | undefined {
  let table: Record<string, Method> | undefined;
  if (typeof obj === 'string') table = STRING_METHODS;
  else if (Array.isArray(obj)) table = LIST_METHODS;
  else if (isDict(obj) && !Object.hasOwn(obj, name)) table = DICT_METHODS;
  const method = table && Object.hasOwn(table, name) ? table[name] : undefined;
  if (!method) return undefined;
  return (...raw: unknown[]) => {
    const last = raw[raw.length - 1];
    const hasKeywords = isDict(last) && Object.hasOwn(last, '__keywords');
    const kwargs: Record<string, unknown> = hasKeywords ? { ...(last as Record<string, unknown>) } : {};
    delete kwargs.__keywords;
    return method(obj as never, hasKeywords ? raw.slice(0, -1) : raw, kwargs);
  };
}

function text(value: unknown, method: string): string {
  if (typeof value !== 'string') throw new CompileError(`${method}(): expected a string, got ${pyRepr(value)}`);
  return value;
}

function stripChars(self: string, chars: unknown, left: boolean, right: boolean): string {
  const set = chars === undefined || chars === null ? undefined : new Set(text(chars, 'strip'));
  const strip = (c: string): boolean => (set ? set.has(c) : /\s/.test(c));
  let start = 0;
  let end = self.length;
  if (left) while (start < end && strip(self[start]!)) start++;
  if (right) while (end > start && strip(self[end - 1]!)) end--;
  return self.slice(start, end);
}

function split(self: string, sep: unknown, maxsplit: unknown): string[] {
  const limit = typeof maxsplit === 'number' && maxsplit >= 0 ? maxsplit : Number.POSITIVE_INFINITY;
  if (sep === undefined || sep === null) {
    const parts: string[] = [];
    let rest = self.replace(/^\s+/, '');
    while (rest.length > 0) {
      if (parts.length === limit) {
        parts.push(rest);
        break;
      }
      const match = /\s+/.exec(rest);
      if (!match) {
        parts.push(rest);
        break;
      }
      parts.push(rest.slice(0, match.index));
      rest = rest.slice(match.index + match[0].length);
    }
    return parts;
  }
  const separator = text(sep, 'split');
  if (separator === '') throw new CompileError('split(): empty separator');
  const pieces = self.split(separator);
  if (pieces.length - 1 <= limit) return pieces;
  return [...pieces.slice(0, limit), pieces.slice(limit).join(separator)];
}

function prefixes(value: unknown): string[] {
  return Array.isArray(value) ? value.map((item) => text(item, 'startswith')) : [text(value, 'startswith')];
}

function pyEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) return JSON.stringify(a) === JSON.stringify(b);
  return false;
}

const STRING_METHODS: Record<string, Method> = {
  upper: (self: string) => self.toUpperCase(),
  lower: (self: string) => self.toLowerCase(),
  replace: (self: string, [old, replacement, count]) => {
    const from = text(old, 'replace');
    const to = pyStr(replacement);
    const pieces = self.split(from);
    const n = typeof count === 'number' && count >= 0 ? count : pieces.length - 1;
    return pieces.slice(0, n + 1).join(to) + (n < pieces.length - 1 ? from + pieces.slice(n + 1).join(from) : '');
  },
  split: (self: string, [sep, maxsplit], kwargs) => split(self, sep ?? kwargs.sep, maxsplit ?? kwargs.maxsplit),
  strip: (self: string, [chars]) => stripChars(self, chars, true, true),
  lstrip: (self: string, [chars]) => stripChars(self, chars, true, false),
  rstrip: (self: string, [chars]) => stripChars(self, chars, false, true),
  startswith: (self: string, [prefix]) => prefixes(prefix).some((p) => self.startsWith(p)),
  endswith: (self: string, [suffix]) => prefixes(suffix).some((p) => self.endsWith(p)),
  join: (self: string, [items]) => {
    if (!Array.isArray(items) && typeof items !== 'string') throw new CompileError(`join(): expected a list, got ${pyRepr(items)}`);
    return [...items].map((item) => pyStr(item)).join(self);
  },
  title: (self: string) => self.toLowerCase().replace(/(^|[^A-Za-z])([a-z])/g, (_all, before: string, letter: string) => before + letter.toUpperCase()),
  capitalize: (self: string) => self.charAt(0).toUpperCase() + self.slice(1).toLowerCase(),
  format: (self: string, args, kwargs) => formatString(self, args, kwargs),
  find: (self: string, [sub]) => self.indexOf(text(sub, 'find')),
  count: (self: string, [sub]) => self.split(text(sub, 'count')).length - 1,
  isdigit: (self: string) => /^\d+$/.test(self),
  isalpha: (self: string) => /^[A-Za-z]+$/.test(self),
};

const LIST_METHODS: Record<string, Method> = {
  append: (self: unknown[], [item]) => {
    self.push(item);
    return null;
  },
  extend: (self: unknown[], [items]) => {
    if (!Array.isArray(items) && typeof items !== 'string') throw new CompileError(`extend(): expected a list, got ${pyRepr(items)}`);
    self.push(...items);
    return null;
  },
  pop: (self: unknown[], [index]) => {
    if (self.length === 0) throw new CompileError('pop(): the list is empty');
    const at = typeof index === 'number' ? (index < 0 ? self.length + index : index) : self.length - 1;
    if (at < 0 || at >= self.length) throw new CompileError(`pop(${String(index)}): index out of range`);
    return self.splice(at, 1)[0];
  },
  insert: (self: unknown[], [index, item]) => {
    const i = Number(index);
    self.splice(i < 0 ? Math.max(self.length + i, 0) : i, 0, item);
    return null;
  },
  index: (self: unknown[], [item]) => {
    const at = self.findIndex((candidate) => pyEquals(candidate, item));
    if (at < 0) throw new CompileError(`index(): ${pyRepr(item)} is not in list`);
    return at;
  },
  count: (self: unknown[], [item]) => self.filter((candidate) => pyEquals(candidate, item)).length,
  remove: (self: unknown[], [item]) => {
    const at = self.findIndex((candidate) => pyEquals(candidate, item));
    if (at < 0) throw new CompileError(`remove(): ${pyRepr(item)} is not in list`);
    self.splice(at, 1);
    return null;
  },
};

type Dict = Record<string, unknown>;
const visibleKeys = (self: Dict): string[] => Object.keys(self).filter((key) => key !== '__keywords');

const DICT_METHODS: Record<string, Method> = {
  items: (self: Dict) => visibleKeys(self).map((key) => [key, self[key]]),
  keys: (self: Dict) => visibleKeys(self),
  values: (self: Dict) => visibleKeys(self).map((key) => self[key]),
  get: (self: Dict, [key, fallback]) => (Object.hasOwn(self, String(key)) ? self[String(key)] : (fallback ?? null)),
  update: (self: Dict, [other], kwargs) => {
    if (other !== undefined && other !== null) {
      if (Array.isArray(other)) for (const [key, value] of other as Array<[string, unknown]>) self[key] = value;
      else if (isDict(other)) Object.assign(self, other);
      else throw new CompileError(`update(): expected a dict, got ${pyRepr(other)}`);
    }
    Object.assign(self, kwargs);
    delete self.__keywords;
    return null;
  },
  pop: (self: Dict, args) => {
    const key = String(args[0]);
    if (Object.hasOwn(self, key)) {
      const value = self[key];
      delete self[key];
      return value;
    }
    if (args.length > 1) return args[1];
    throw new CompileError(`pop(): no key ${pyRepr(args[0])} in the dict`);
  },
  setdefault: (self: Dict, [key, fallback]) => {
    const name = String(key);
    if (!Object.hasOwn(self, name)) self[name] = fallback ?? null;
    return self[name];
  },
  copy: (self: Dict) => ({ ...self }),
};

/** str.format: `{}`, `{0}`, `{name}`, `{name.attr}` and a format spec after `:`. */
function formatString(template: string, args: unknown[], kwargs: Record<string, unknown>): string {
  let auto = 0;
  return template.replace(
    /\{\{|\}\}|\{([^{}:!]*)(?:!([rs]))?(?::([^{}]*))?\}/g,
    (all, field: string | undefined, conversion: string | undefined, spec: string | undefined) => {
      if (all === '{{') return '{';
      if (all === '}}') return '}';
      const [head = '', ...path] = (field ?? '').split('.');
      let value: unknown;
      if (head === '') value = args[auto++];
      else if (/^\d+$/.test(head)) value = args[Number(head)];
      else if (Object.hasOwn(kwargs, head)) value = kwargs[head];
      else throw new CompileError(`format(): no argument named '${head}'`);
      for (const part of path) value = (value as Record<string, unknown> | null)?.[part];
      if (conversion === 'r') value = pyRepr(value);
      return formatField(value, spec ?? '');
    },
  );
}
