// Decides what one table's extract reads: which columns, which cursor window, and the COPY
// statement. Pure: the catalog facts come in as a SourceTableShape.

import type { SourceTable } from '../config/project.js';
import { ConfigError } from '../errors.js';
import { quoteIdent, quoteQualified } from '../sql/quote-ident.js';
import type { Interval } from '../batch/interval.js';
import { DELETED_AT_COLUMN } from '../batch/deleted-at-column.js';
import { utcTimestampText } from '../batch/utc-timestamp-text.js';
import type { SourceColumn, SourceTableShape } from './source-introspection.js';
import { createIndexSql, viewCursorWarning } from './view-sources.js';

export const BATCH_ID_COLUMN = '_pgshift_batch_id';
export const EXTRACTED_AT_COLUMN = '_pgshift_extracted_at';
export { DELETED_AT_COLUMN };

export type CursorKind = 'timestamptz' | 'timestamp' | 'date' | 'integer';

export interface ExtractPlan {
  readonly columns: readonly SourceColumn[];
  readonly cursor?: { readonly column: SourceColumn; readonly kind: CursorKind };
  /**
   * The interval widened by the table's lookback; undefined for full-mode tables. No start on a
   * table's first extract (fromBeginning): every row before the end.
   */
  readonly window?: { readonly start?: Date; readonly end: Date };
  /** Run-time values reach the COPY through these transaction-local settings, never as SQL text. */
  readonly settings: Readonly<Record<string, string>>;
  readonly copySql: string;
  /** The COPY's select list and its window predicate (no `where`), for the COPYs of ctid ranges (range-statements.ts). */
  readonly selectList: string;
  readonly relation: string;
  readonly windowPredicate?: string;
  /** `from <table> where <window>`: what the COPY reads, for the value checks' aggregate. */
  readonly fromWhere: string;
  /** `select count(*) …` of the same window: the source's row count, for reconciliation. */
  readonly countSql: string;
  /** `deletes: detect`: the COPY of every primary key of the table (the whole table, not the window). */
  readonly keyCopySql?: string;
  /** Columns that leave the source only as a keyed hash. */
  readonly hashedColumns: ReadonlySet<string>;
  readonly warnings: readonly string[];
}

/** Columns written through another expression (a value policy's CASE around the usual one), by name. */
export type ColumnOverrides = ReadonlyMap<string, (base: string) => string>;

const CURSOR_KINDS: Record<string, CursorKind> = {
  timestamptz: 'timestamptz',
  timestamp: 'timestamp',
  date: 'date',
  int2: 'integer',
  int4: 'integer',
  int8: 'integer',
};

/** The key of PII hashes when PGSHIFT_PII_KEY is unset: stable across runs, not secret. */
export const DEVELOPMENT_PII_KEY = 'pgshift-development-pii-key';

export function planExtract(
  table: SourceTable,
  shape: SourceTableShape,
  interval: Interval,
  batchId: string,
  extractedAt: Date,
  piiKey: string = DEVELOPMENT_PII_KEY,
  overrides: ColumnOverrides = new Map(),
  { fromBeginning = false }: { readonly fromBeginning?: boolean } = {},
): ExtractPlan {
  const where = `sources.${table.source}.tables.${table.name}`;
  const byName = new Map(shape.columns.map((column) => [column.name, column]));
  const requireColumn = (name: string, key: string): SourceColumn => {
    const column = byName.get(name);
    if (!column) {
      throw new ConfigError(
        `${where}.${key}: column '${name}' does not exist in ${shape.schema}.${shape.name} (columns: ${shape.columns.map((c) => c.name).join(', ')})`,
        { table: table.id },
      );
    }
    return column;
  };

  const sourceColumns = table.columns
    ? table.columns.map((name) => requireColumn(name, 'columns'))
    : shape.columns.filter((column) => !table.exclude?.includes(column.name));
  for (const name of Object.keys(table.pii)) requireColumn(name, 'pii');
  const secret = new Set(
    Object.entries(table.pii)
      .filter(([, kind]) => kind === 'secret')
      .map(([name]) => name),
  );
  // Secret columns leave the source only as a keyed hash, so neither S3 nor raw holds them.
  const columns = sourceColumns.map((column) => (secret.has(column.name) ? HASHED_SECRET(column) : column));
  for (const name of table.exclude ?? []) requireColumn(name, 'exclude');
  const selected = new Set(columns.map((column) => column.name));
  for (const name of table.primaryKey) {
    requireColumn(name, 'primary_key');
    if (!selected.has(name))
      throw new ConfigError(`${where}: primary key column '${name}' must be extracted; remove it from exclude or add it to columns`, { table: table.id });
  }
  for (const name of [BATCH_ID_COLUMN, EXTRACTED_AT_COLUMN, DELETED_AT_COLUMN]) {
    if (selected.has(name)) throw new ConfigError(`${where}: column '${name}' clashes with a pgshift metadata column; exclude it`, { table: table.id });
  }

  const warnings: string[] = [];
  // A view has no key in the catalog (shape.primaryKey is empty), so the declared one stands.
  if (table.mode !== 'append' && shape.primaryKey.length > 0 && shape.primaryKey.join(',') !== table.primaryKey.join(',')) {
    warnings.push(`${table.id}: primary_key (${table.primaryKey.join(', ')}) differs from the source's primary key (${shape.primaryKey.join(', ')})`);
  }

  const settings: Record<string, string> = {
    'pgshift.batch_id': batchId,
    // Already in the timestamptz form the rows are written in (timestamptzValue), so the column
    // costs no formatting per row.
    'pgshift.extracted_at': utcTimestampText(extractedAt),
  };
  if (secret.size > 0) settings['pgshift.pii_key'] = piiKey;
  if (secret.size > 0 && piiKey === DEVELOPMENT_PII_KEY) {
    warnings.push(
      `${table.id}: secret columns (${[...secret].join(', ')}) are hashed with the development key; set PGSHIFT_PII_KEY for hashes nobody can recompute`,
    );
  }
  const columnValue = (column: SourceColumn): string =>
    secret.has(column.name)
      ? secretHash(column.name)
      : overrides.has(column.name)
        ? overrides.get(column.name)!(isTimestamptz(column) ? timestamptzValue(column.name) : quoteIdent(column.name))
        : isTimestamptz(column)
          ? `${timestamptzValue(column.name)} as ${quoteIdent(column.name)}`
          : quoteIdent(column.name);
  if (table.softDeleteColumn !== undefined) {
    const soft = requireColumn(table.softDeleteColumn, 'soft_delete');
    // Models compare it with the tombstones' timestamptz (source_deleted_at): a time it must be.
    const softKind = CURSOR_KINDS[soft.kind === 'domain' ? baseUdt(soft) : soft.udt];
    if (!softKind || softKind === 'integer' || soft.category === 'A') {
      throw new ConfigError(
        `${where}.soft_delete: column '${soft.name}' is ${soft.type}; a soft-delete column must be timestamptz, timestamp or date (set when the row is deleted, NULL while it is live)`,
        { table: table.id },
      );
    }
    if (!selected.has(soft.name))
      throw new ConfigError(`${where}: soft_delete column '${soft.name}' must be extracted; remove it from exclude or add it to columns`, { table: table.id });
  }
  const select = [
    ...columns.map(columnValue),
    `${setting('batch_id')} as ${quoteIdent(BATCH_ID_COLUMN)}`,
    `${setting('extracted_at')} as ${quoteIdent(EXTRACTED_AT_COLUMN)}`,
  ];
  let predicate = '';
  let windowPredicate: string | undefined;
  let cursor: ExtractPlan['cursor'];
  let window: ExtractPlan['window'];

  if (table.mode !== 'full') {
    const column = requireColumn(table.cursor!, 'cursor');
    const kind = CURSOR_KINDS[column.kind === 'domain' ? baseUdt(column) : column.udt];
    if (!kind || column.category === 'A') {
      throw new ConfigError(
        `${where}.cursor: column '${column.name}' is ${column.type}; a cursor must be timestamptz, timestamp, date or an integer (epoch ${table.cursorUnit ?? 'seconds'}), or set mode: full`,
        { table: table.id },
      );
    }
    const view = viewCursorWarning(table.id, shape, column.name);
    if (view) warnings.push(view);
    // A plain view holds no index; the hint is for what can have one.
    else if (!shape.indexedLeadingColumns.has(column.name)) {
      warnings.push(
        `${table.id}: cursor column '${column.name}' leads no index, so every extract scans the whole table; consider ${createIndexSql(shape, column.name)}`,
      );
    }
    cursor = { column, kind };
    // A warehouse that holds nothing of the table gets every row the interval's end has seen:
    // rows last changed before the window would otherwise never arrive.
    window = fromBeginning ? { end: interval.end } : { start: new Date(interval.start.getTime() - table.lookbackMs), end: interval.end };
    if (window.start) settings['pgshift.window_start'] = window.start.toISOString();
    settings['pgshift.window_end'] = window.end.toISOString();
    windowPredicate = cursorPredicate(quoteIdent(column.name), kind, table.cursorUnit ?? 'seconds', Boolean(window.start));
    predicate = ` where ${windowPredicate}`;
  }

  const fromWhere = `from ${quoteQualified(shape.schema, shape.name)}${predicate}`;
  const query = `select ${select.join(', ')} ${fromWhere}`;
  const byColumn = new Map(columns.map((column) => [column.name, column]));
  // The keys in the same file form as the rows (a secret key is hashed the same way), so the
  // warehouse compares like with like.
  const keyCopySql =
    table.deletes === 'detect'
      ? `copy (select ${table.primaryKey.map((name) => columnValue(byColumn.get(name)!)).join(', ')} from ${quoteQualified(shape.schema, shape.name)}) to stdout with (format csv, null '\\N')`
      : undefined;
  return {
    columns,
    cursor,
    window,
    settings,
    // NULL is an unquoted \N and a value equal to \N is quoted, so NULL, '' and '\N' stay
    // three different things on PostgreSQL and Redshift alike (Redshift's CSV COPY loads an
    // unquoted empty field into a VARCHAR as '' unless EMPTYASNULL, so '' cannot mean NULL).
    copySql: `copy (${query}) to stdout with (format csv, null '\\N')`,
    selectList: select.join(', '),
    relation: quoteQualified(shape.schema, shape.name),
    windowPredicate,
    fromWhere,
    countSql: `select count(*)::bigint as rows ${fromWhere}`,
    keyCopySql,
    hashedColumns: secret,
    warnings,
  };
}

function baseUdt(column: SourceColumn): string {
  const base = column.baseType ?? '';
  if (base.startsWith('timestamp') && base.includes('with time zone')) return 'timestamptz';
  if (base.startsWith('timestamp')) return 'timestamp';
  if (base === 'date') return 'date';
  if (base === 'integer' || base === 'bigint' || base === 'smallint') return 'int8';
  return base;
}

function isTimestamptz(column: SourceColumn): boolean {
  const type = column.kind === 'domain' ? (column.baseType ?? '') : column.type;
  return column.category !== 'A' && /^timestamp(\(\d\))? with time zone$/.test(type);
}

/**
 * timestamptz as `YYYY-MM-DD HH:MI:SS.ffffff+00:00`, in UTC: the TIMESTAMPTZ form Redshift's COPY
 * reads without a TIMEFORMAT ("YYYY-MM-DD HH:MI:SSOF, where OF is the offset from UTC", seconds
 * with up to six fractional digits), which PostgreSQL's own `+00` output does not match exactly.
 * https://docs.aws.amazon.com/redshift/latest/dg/r_DATEFORMAT_and_TIMEFORMAT_strings.html
 * Infinite and BC values keep PostgreSQL's text: to_char() cannot spell them, and Redshift has
 * no infinity (the load reports such a value through sys_load_error_detail).
 */
function timestamptzValue(name: string): string {
  const column = quoteIdent(name);
  return `case when isfinite(${column}) and ${column} >= '0001-01-01 00:00:00+00' then to_char(${column} at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00:00' else ${column}::text end`;
}

/** The batch schema of a secret column: its values are 64 hex digits of text. */
const HASHED_SECRET = (column: SourceColumn): SourceColumn => ({
  ...column,
  type: 'text',
  udt: 'text',
  kind: 'base',
  category: 'S',
  baseType: undefined,
  builtin: true,
});

/**
 * sha256(key || '|' || value) as hex, the same keyed hash the pii_hash() macro computes in the
 * warehouse, so a hashed secret still joins across tables. The key arrives as a setting.
 */
function secretHash(name: string): string {
  const column = quoteIdent(name);
  return `case when ${column} is null then null else encode(sha256(convert_to(${setting('pii_key')} || '|' || ${column}::text, 'UTF8')), 'hex') end as ${column}`;
}

/**
 * A run-time value read back from its transaction-local setting. The scalar subquery makes
 * PostgreSQL evaluate it once per statement (an InitPlan) instead of once per row.
 */
function setting(name: string, type?: string): string {
  return `(select current_setting('pgshift.${name}')${type ? `::${type}` : ''})`;
}

/** `cursor >= start and cursor < end` in the cursor's own type, both bounds in UTC; without a start, `cursor < end`. */
function cursorPredicate(cursor: string, kind: CursorKind, unit: 'seconds' | 'milliseconds', lowerBound: boolean): string {
  const bound = (name: string): string => {
    const instant = setting(name, 'timestamptz');
    switch (kind) {
      case 'timestamptz':
        return instant;
      case 'timestamp':
        return `(${instant} at time zone 'UTC')`;
      case 'date':
        // Date cursors widen to whole days: a window starting at 23:00 re-reads that whole day.
        return `(${instant} at time zone 'UTC')::date`;
      case 'integer':
        return `(extract(epoch from ${instant})${unit === 'milliseconds' ? ' * 1000' : ''})::bigint`;
    }
  };
  const upper = `${cursor} < ${bound('window_end')}`;
  return lowerBound ? `${cursor} >= ${bound('window_start')} and ${upper}` : upper;
}
