// Which output columns of one query carry a PII class from its inputs: direct references
// (`email`, `c.email`, `email as contact`, `select *`) and simple expressions that keep the value
// readable (lower, upper, initcap, trim/btrim/ltrim/rtrim, cast/::, coalesce/nvl, nullif,
// concat and ||). Anything else — a CASE, a hash, substring, arithmetic, a window function, any
// other function, and so every pii_* masking macro — gives no class: lineage is only claimed
// where the value demonstrably passes through. CTEs, subqueries in FROM and set operations
// (by position) are followed; what cannot be read (a table function, renamed CTE columns) is
// not guessed.

import type { PiiClass } from '../config/project-schema.js';
import type { SqlToken } from './sql-tokens.js';

/** Where a class came from: the input node's column that holds it. */
export interface ColumnClass {
  readonly pii: PiiClass;
  /** The upstream node and column; null when the column's own schema.yml declares the class. */
  readonly from: { readonly node: string; readonly column: string } | null;
}

/** Classified columns of a relation, by name as the warehouse names them (unquoted names folded). */
export type ClassifiedColumns = ReadonlyMap<string, ColumnClass>;

export interface LineageScope {
  /** A ref()'d node's classified columns and relation identifier, by unique id. */
  node(uniqueId: string): { readonly columns: ClassifiedColumns; readonly identifier: string } | undefined;
  /** A table named in the SQL (a source's `"raw"."customers"`), by its name parts. */
  table(parts: readonly string[]): ClassifiedColumns | undefined;
}

interface FromItem {
  /** The name the query uses for it: its alias, or the table's own name. */
  readonly name: string | null;
  /** Undefined when the relation cannot be read. */
  readonly columns: ClassifiedColumns | undefined;
}

type OutputColumn =
  | { readonly kind: 'column'; readonly name: string | null; readonly pii: ColumnClass | undefined }
  | { readonly kind: 'star'; readonly columns: ClassifiedColumns };

const SELECT_LIST_END = new Set(['from', 'where', 'group', 'having', 'order', 'limit', 'window', 'qualify', 'offset', 'fetch', 'into']);
const FROM_END = new Set(['where', 'group', 'having', 'order', 'limit', 'window', 'qualify', 'offset', 'fetch']);
const SET_OPERATORS = new Set(['union', 'intersect', 'except', 'minus']);
const JOIN_WORDS = new Set(['left', 'right', 'full', 'inner', 'outer', 'cross', 'natural']);
/** Words that end an expression rather than alias it (`… end`, `is null`). */
const NOT_ALIASES = new Set(['end', 'null', 'true', 'false', 'and', 'or', 'not', 'is', 'as', 'then', 'else', 'when', 'case', 'distinct', 'from', 'on']);

/** The classified output columns of a query, or an empty map where nothing can be told. */
export function queryLineage(tokens: readonly SqlToken[], scope: LineageScope): ClassifiedColumns {
  const output = queryOutput(tokens, scope, new Map());
  return output ? flatten(output) : new Map();
}

function queryOutput(input: readonly SqlToken[], scope: LineageScope, outerCtes: ReadonlyMap<string, ClassifiedColumns>): OutputColumn[] | undefined {
  let tokens = stripParens(trimSemicolons(input));
  const ctes = new Map(outerCtes);
  if (isWord(tokens[0], 'with')) {
    let i = isWord(tokens[1], 'recursive') ? 2 : 1;
    for (;;) {
      const name = nameOf(tokens[i]);
      if (name === undefined) return undefined;
      i++;
      // Renamed columns (`cte (a, b) as …`) would need positions: the CTE is not read.
      const renamed = isPunct(tokens[i], '(');
      if (renamed) i = closing(tokens, i) + 1;
      if (!isWord(tokens[i], 'as')) return undefined;
      i++;
      if (isWord(tokens[i], 'not')) i++;
      if (isWord(tokens[i], 'materialized')) i++;
      if (!isPunct(tokens[i], '(')) return undefined;
      const end = closing(tokens, i);
      const body = renamed ? undefined : queryOutput(tokens.slice(i + 1, end), scope, ctes);
      ctes.set(name, body ? flatten(body) : new Map());
      i = end + 1;
      if (!isPunct(tokens[i], ',')) break;
      i++;
    }
    tokens = tokens.slice(i);
  }
  const branches = splitTopLevel(tokens, (token) => token.kind === 'word' && SET_OPERATORS.has(token.value)).map((branch) =>
    isWord(branch[0], 'all') || isWord(branch[0], 'distinct') ? branch.slice(1) : branch,
  );
  const outputs = branches.map((branch) => selectOutput(branch, scope, ctes));
  if (outputs.length === 1) return outputs[0];
  return combineSetBranches(outputs);
}

/** UNION and friends: names from the first branch, a position's class from any branch. */
function combineSetBranches(outputs: ReadonlyArray<OutputColumn[] | undefined>): OutputColumn[] | undefined {
  const [first, ...rest] = outputs;
  if (!first || first.some((column) => column.kind === 'star')) return first;
  return first.map((column, position) => {
    if (column.kind !== 'column' || column.pii) return column;
    for (const other of rest) {
      const at = other && !other.some((c) => c.kind === 'star') && other.length === first.length ? other[position] : undefined;
      if (at?.kind === 'column' && at.pii) return { ...column, pii: at.pii };
    }
    return column;
  });
}

function selectOutput(input: readonly SqlToken[], scope: LineageScope, ctes: ReadonlyMap<string, ClassifiedColumns>): OutputColumn[] | undefined {
  const tokens = stripParens(input);
  if (isWord(tokens[0], 'with') || (isPunct(input[0], '(') && tokens !== input)) return queryOutput(tokens, scope, ctes);
  if (!isWord(tokens[0], 'select')) return undefined;
  let start = 1;
  if (isWord(tokens[start], 'all')) start++;
  if (isWord(tokens[start], 'distinct')) {
    start++;
    if (isWord(tokens[start], 'on') && isPunct(tokens[start + 1], '(')) start = closing(tokens, start + 1) + 1;
  }
  const listEnd = findTopLevel(tokens, start, (token, previous) => token.kind === 'word' && SELECT_LIST_END.has(token.value) && !isWord(previous, 'distinct'));
  const list = tokens.slice(start, listEnd);
  let from: FromItem[] = [];
  if (isWord(tokens[listEnd], 'from')) {
    const fromEnd = findTopLevel(tokens, listEnd + 1, (token) => token.kind === 'word' && FROM_END.has(token.value));
    from = fromItems(tokens.slice(listEnd + 1, fromEnd), scope, ctes);
  }
  return splitTopLevel(list, (token) => isPunct(token, ',')).map((item) => outputColumn(item, from));
}

function outputColumn(item: readonly SqlToken[], from: readonly FromItem[]): OutputColumn {
  if (item.length === 1 && isPunct(item[0], '*')) {
    return { kind: 'star', columns: mergeAll(from.map((source) => source.columns)) };
  }
  if (item.length === 3 && isPunct(item[1], '.') && isPunct(item[2], '*')) {
    const qualifier = nameOf(item[0]);
    return { kind: 'star', columns: from.find((source) => source.name === qualifier)?.columns ?? new Map() };
  }
  const { expression, alias } = splitAlias(item);
  const reference = columnReference(expression);
  return { kind: 'column', name: alias ?? reference?.column ?? null, pii: expressionClass(expression, from) };
}

function splitAlias(item: readonly SqlToken[]): { expression: readonly SqlToken[]; alias: string | undefined } {
  const last = item[item.length - 1];
  const beforeLast = item[item.length - 2];
  if (item.length >= 3 && isWord(beforeLast, 'as')) return { expression: item.slice(0, -2), alias: nameOf(last) };
  // An alias without AS follows a complete expression: a name, a literal or a closing parenthesis.
  const aliasable = last?.kind === 'quoted' || (last?.kind === 'word' && !NOT_ALIASES.has(last.value));
  const follows =
    beforeLast !== undefined &&
    (beforeLast.kind === 'word' ? !NOT_ALIASES.has(beforeLast.value) : ['quoted', 'string', 'number'].includes(beforeLast.kind) || isPunct(beforeLast, ')'));
  if (item.length >= 2 && aliasable && follows) return { expression: item.slice(0, -1), alias: nameOf(last) };
  return { expression: item, alias: undefined };
}

/** The class an expression passes through from one of its input columns, if it demonstrably does. */
function expressionClass(input: readonly SqlToken[], from: readonly FromItem[]): ColumnClass | undefined {
  const tokens = stripParens(input);
  const concatenated = splitTopLevel(tokens, (token) => isPunct(token, '||'));
  if (concatenated.length > 1) return firstClass(concatenated, from);
  const castAt = findTopLevel(tokens, 0, (token) => isPunct(token, '::'));
  if (castAt < tokens.length) return castAt > 0 ? expressionClass(tokens.slice(0, castAt), from) : undefined;
  const reference = columnReference(tokens);
  if (reference) return lookUp(reference, from);
  const head = tokens[0];
  if (head?.kind !== 'word' || !isPunct(tokens[1], '(') || closing(tokens, 1) !== tokens.length - 1) return undefined;
  const inner = tokens.slice(2, -1);
  const args = splitTopLevel(inner, (token) => isPunct(token, ','));
  switch (head.value) {
    case 'lower':
    case 'upper':
    case 'initcap':
    case 'nullif':
      return args.length >= 1 ? expressionClass(args[0]!, from) : undefined;
    case 'cast': {
      const as = findTopLevel(inner, 0, (token) => isWord(token, 'as'));
      return as < inner.length ? expressionClass(inner.slice(0, as), from) : undefined;
    }
    case 'trim':
    case 'btrim':
    case 'ltrim':
    case 'rtrim': {
      // trim(both ' ' from x) / trim(x) / btrim(x, ' ')
      const fromAt = findTopLevel(inner, 0, (token) => isWord(token, 'from'));
      if (fromAt < inner.length) return expressionClass(inner.slice(fromAt + 1), from);
      const first = args[0] ?? [];
      return expressionClass(isWord(first[0], 'both') || isWord(first[0], 'leading') || isWord(first[0], 'trailing') ? first.slice(1) : first, from);
    }
    case 'coalesce':
    case 'nvl':
    case 'concat':
      return firstClass(args, from);
    default:
      return undefined;
  }
}

function firstClass(parts: ReadonlyArray<readonly SqlToken[]>, from: readonly FromItem[]): ColumnClass | undefined {
  for (const part of parts) {
    const found = expressionClass(part, from);
    if (found) return found;
  }
  return undefined;
}

/** `email`, `c.email`, `schema.table.email`. */
function columnReference(tokens: readonly SqlToken[]): { qualifier: string | undefined; column: string } | undefined {
  const names = tokens.filter((_, index) => index % 2 === 0);
  const dots = tokens.filter((_, index) => index % 2 === 1);
  if (tokens.length % 2 === 0 || tokens.length > 5 || !dots.every((token) => isPunct(token, '.'))) return undefined;
  if (!names.every((token) => token.kind === 'quoted' || token.kind === 'word')) return undefined;
  if (tokens.length === 1 && NOT_ALIASES.has(tokens[0]!.value) && tokens[0]!.kind === 'word') return undefined;
  const column = names[names.length - 1]!.value;
  return { qualifier: names.length > 1 ? names[names.length - 2]!.value : undefined, column };
}

function lookUp(reference: { qualifier: string | undefined; column: string }, from: readonly FromItem[]): ColumnClass | undefined {
  const candidates = reference.qualifier === undefined ? from : from.filter((source) => source.name === reference.qualifier);
  for (const source of candidates) {
    const found = source.columns?.get(reference.column);
    if (found) return found;
  }
  return undefined;
}

function fromItems(tokens: readonly SqlToken[], scope: LineageScope, ctes: ReadonlyMap<string, ClassifiedColumns>): FromItem[] {
  const segments = splitTopLevel(tokens, (token) => isPunct(token, ',') || isWord(token, 'join'));
  return segments.map((segment) => fromItem(segment, scope, ctes)).filter((item): item is FromItem => item !== undefined);
}

function fromItem(input: readonly SqlToken[], scope: LineageScope, ctes: ReadonlyMap<string, ClassifiedColumns>): FromItem | undefined {
  let tokens = [...input];
  while (tokens.length > 0 && tokens[tokens.length - 1]!.kind === 'word' && JOIN_WORDS.has(tokens[tokens.length - 1]!.value)) tokens.pop();
  while (isWord(tokens[0], 'lateral') || isWord(tokens[0], 'only')) tokens.shift();
  const condition = findTopLevel(tokens, 0, (token) => isWord(token, 'on') || isWord(token, 'using'));
  tokens = tokens.slice(0, condition);
  if (tokens.length === 0) return undefined;
  let columns: ClassifiedColumns | undefined;
  let ownName: string | null = null;
  let i: number;
  const first = tokens[0]!;
  if (first.kind === 'relation') {
    const node = scope.node(first.value);
    columns = node?.columns;
    ownName = node?.identifier ?? null;
    i = 1;
  } else if (isPunct(first, '(')) {
    const end = closing(tokens, 0);
    const output = queryOutput(tokens.slice(1, end), scope, ctes);
    columns = output ? flatten(output) : undefined;
    i = end + 1;
  } else {
    const parts: string[] = [];
    i = 0;
    while (nameOf(tokens[i]) !== undefined) {
      parts.push(nameOf(tokens[i])!);
      i++;
      if (!isPunct(tokens[i], '.')) break;
      i++;
    }
    if (parts.length === 0 || isPunct(tokens[i], '(')) return { name: null, columns: undefined };
    ownName = parts[parts.length - 1]!;
    columns = parts.length === 1 && ctes.has(parts[0]!) ? ctes.get(parts[0]!) : scope.table(parts);
  }
  if (isWord(tokens[i], 'as')) i++;
  const alias = nameOf(tokens[i]);
  // Renamed columns (`x as t (a, b)`) cannot be matched by name.
  if (alias !== undefined && isPunct(tokens[i + 1], '(')) return { name: alias, columns: undefined };
  return { name: alias ?? ownName, columns };
}

function flatten(output: readonly OutputColumn[]): ClassifiedColumns {
  const columns = new Map<string, ColumnClass>();
  for (const column of output) {
    if (column.kind === 'star') {
      for (const [name, pii] of column.columns) if (!columns.has(name)) columns.set(name, pii);
    } else if (column.name !== null && column.pii) {
      columns.set(column.name, column.pii);
    }
  }
  return columns;
}

function mergeAll(all: ReadonlyArray<ClassifiedColumns | undefined>): ClassifiedColumns {
  const merged = new Map<string, ColumnClass>();
  for (const columns of all) for (const [name, pii] of columns ?? []) if (!merged.has(name)) merged.set(name, pii);
  return merged;
}

// ---------------------------------------------------------------- token helpers

function isWord(token: SqlToken | undefined, word: string): boolean {
  return token?.kind === 'word' && token.value === word;
}

function isPunct(token: SqlToken | undefined, punct: string): boolean {
  return token?.kind === 'punct' && token.value === punct;
}

function nameOf(token: SqlToken | undefined): string | undefined {
  return token?.kind === 'word' || token?.kind === 'quoted' ? token.value : undefined;
}

/** The index of the parenthesis closing the one at `open` (the last index when unbalanced). */
function closing(tokens: readonly SqlToken[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (isPunct(tokens[i], '(')) depth++;
    else if (isPunct(tokens[i], ')') && --depth === 0) return i;
  }
  return tokens.length - 1;
}

/** The first index at paren depth 0 from `start` where `match` holds, or tokens.length. */
function findTopLevel(tokens: readonly SqlToken[], start: number, match: (token: SqlToken, previous: SqlToken | undefined) => boolean): number {
  let depth = 0;
  for (let i = start; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (isPunct(token, '(')) depth++;
    else if (isPunct(token, ')')) depth--;
    else if (depth === 0 && match(token, tokens[i - 1])) return i;
  }
  return tokens.length;
}

function splitTopLevel(tokens: readonly SqlToken[], separator: (token: SqlToken) => boolean): SqlToken[][] {
  const parts: SqlToken[][] = [[]];
  let depth = 0;
  for (const token of tokens) {
    if (isPunct(token, '(')) depth++;
    else if (isPunct(token, ')')) depth--;
    if (depth === 0 && separator(token)) parts.push([]);
    else parts[parts.length - 1]!.push(token);
  }
  return parts;
}

function stripParens(tokens: readonly SqlToken[]): readonly SqlToken[] {
  let current = tokens;
  while (current.length >= 2 && isPunct(current[0], '(') && closing(current, 0) === current.length - 1) current = current.slice(1, -1);
  return current;
}

function trimSemicolons(tokens: readonly SqlToken[]): readonly SqlToken[] {
  let end = tokens.length;
  while (end > 0 && isPunct(tokens[end - 1], ';')) end--;
  return end === tokens.length ? tokens : tokens.slice(0, end);
}
