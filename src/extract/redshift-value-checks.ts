// Values Redshift cannot hold, found in the source before anything is uploaded: text over
// 65,535 bytes, the text `\N` (which a Redshift COPY may read as NULL), numeric NaN/±Infinity
// and numerics beyond the 38 digits of numeric(38,10). One aggregate query in the extract's own
// snapshot counts them per column, names one row's primary key, and measures the longest text
// in bytes so the raw table's VARCHAR can be sized. The table's value_policy then decides:
// fail (the default), null (write NULL instead) or truncate (cut long text; the rest become NULL).
//
// Limits: VARCHAR holds at most 65,535 bytes and DECIMAL at most 38 digits with no NaN or
// infinity (https://docs.aws.amazon.com/redshift/latest/dg/r_Character_types.html,
// https://docs.aws.amazon.com/redshift/latest/dg/r_Numeric_types201.html). `\N` is COPY's default
// null string, and whether a quoted "\N" escapes it is undocumented
// (https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-conversion.html#copy-null-as).

import { ExtractError } from '../errors.js';
import { quoteIdent } from '../sql/quote-ident.js';
import { REDSHIFT_MAX_VARCHAR_BYTES, type ValueFinding, type ValuePolicy, type ValueProblem } from '../batch/redshift-values.js';
import type { SourceColumn } from './source-introspection.js';

export { REDSHIFT_MAX_VARCHAR_BYTES, varcharWidthFor, type ValueFinding, type ValuePolicy, type ValueProblem } from '../batch/redshift-values.js';

/** Characters kept by `truncate`: at 4 bytes per UTF-8 character at most, always within 65,535 bytes. */
export const TRUNCATED_CHARACTERS = 16383;

export interface ValueCheck {
  readonly column: string;
  readonly problem: ValueProblem;
  /** True for a row whose value has the problem. */
  readonly predicate: string;
}

/** Columns whose Redshift type is VARCHAR text (everything but numbers, booleans and datetimes). */
export function isTextLike(column: SourceColumn): boolean {
  if (column.category === 'A') return true;
  return !['N', 'B', 'D'].includes(column.category) || /^time( |\()/.test(column.type);
}

export function valueChecks(columns: readonly SourceColumn[], hashed: ReadonlySet<string>): ValueCheck[] {
  const checks: ValueCheck[] = [];
  for (const column of columns) {
    const c = quoteIdent(column.name);
    if (hashed.has(column.name)) continue;
    if (isTextLike(column)) {
      checks.push({ column: column.name, problem: 'text over 65535 bytes', predicate: `octet_length(${c}::text) > ${REDSHIFT_MAX_VARCHAR_BYTES}` });
      checks.push({ column: column.name, problem: 'the text \\N', predicate: `${c}::text = '\\N'` });
    } else if (column.udt === 'numeric' || (column.kind === 'domain' && (column.baseType ?? '').startsWith('numeric'))) {
      const special = `${c}::text in ('NaN', 'Infinity', '-Infinity')`;
      checks.push({ column: column.name, problem: 'numeric NaN or infinity', predicate: special });
      // Unconstrained numeric maps to numeric(38,10): 28 integer digits at most.
      if (!/^numeric\(/.test(column.type))
        checks.push({
          column: column.name,
          problem: 'numeric beyond 28 integer digits',
          predicate: `(case when ${special} then false else abs(${c}) >= 1e28 end)`,
        });
    } else if (/^(date|timestamp)/.test(column.kind === 'domain' ? (column.baseType ?? '') : column.type) && column.category !== 'A') {
      // Redshift has no infinity, and COPY's default date formats have no era (PostgreSQL
      // prints year 44 BC as 0044-03-15 BC): https://docs.aws.amazon.com/redshift/latest/dg/r_Datetime_types.html
      checks.push({ column: column.name, problem: 'an infinite or BC date/time', predicate: `(not isfinite(${c}) or ${c} < '0001-01-01')` });
    }
  }
  return checks;
}

/** One aggregate over the extract's rows: per check a count and an example key, per text column the longest value in bytes. */
export function valueCheckSql(
  checks: readonly ValueCheck[],
  textColumns: readonly string[],
  primaryKey: readonly string[],
  fromWhere: string,
): string | undefined {
  if (checks.length === 0 && textColumns.length === 0) return undefined;
  // A mode append table has no key to name a row by; its message then names none.
  const key =
    primaryKey.length === 0
      ? 'null::text'
      : `concat_ws(', ', ${primaryKey.map((name) => `${quoteLiteralName(name)} || '=' || coalesce(${quoteIdent(name)}::text, 'NULL')`).join(', ')})`;
  const items = [
    ...checks.flatMap((check, index) => [
      `count(*) filter (where ${check.predicate}) as c${index}`,
      `min(${key}) filter (where ${check.predicate}) as k${index}`,
    ]),
    ...textColumns.map((name, index) => `max(octet_length(${quoteIdent(name)}::text)) as m${index}`),
  ];
  return `select ${items.join(', ')} ${fromWhere}`;
}

/**
 * The SELECT expression that writes a column under a policy other than fail, around `base`,
 * the column's usual output expression (the column itself, or its timestamptz text).
 */
export function policedExpression(column: string, checks: readonly ValueCheck[], policy: Exclude<ValuePolicy, 'fail'>): (base: string) => string {
  const c = quoteIdent(column);
  const branches = checks.map((check) =>
    policy === 'truncate' && check.problem === 'text over 65535 bytes'
      ? `when ${check.predicate} then left(${c}::text, ${TRUNCATED_CHARACTERS})`
      : `when ${check.predicate} then null`,
  );
  const textual = checks.some((check) => check.problem === 'text over 65535 bytes' || check.problem === 'the text \\N');
  return (base) => `case ${branches.join(' ')} else ${base}${textual ? '::text' : ''} end as ${c}`;
}

function quoteLiteralName(name: string): string {
  return `'${name.replaceAll("'", "''")}'`;
}

export interface ValueCheckOutcome {
  readonly findings: ValueFinding[];
  /** Longest value in bytes per text-like column (0 when every value is NULL or there are no rows). */
  readonly textBytes: Record<string, number>;
  /** SELECT expressions replacing columns under the null/truncate policy. */
  readonly overrides: Map<string, (base: string) => string>;
}

/**
 * Runs the aggregate in the extract's transaction and applies the policy. Under `fail`, the
 * first finding becomes an ExtractError naming table, column, problem and one primary key.
 */
export async function runValueChecks(
  client: { query<R>(sql: string): Promise<{ rows: R[] }> },
  tableId: string,
  where: string,
  columns: readonly SourceColumn[],
  hashed: ReadonlySet<string>,
  primaryKey: readonly string[],
  fromWhere: string,
  policy: ValuePolicy,
): Promise<ValueCheckOutcome> {
  const checks = valueChecks(columns, hashed);
  const textColumns = columns.filter((column) => isTextLike(column) && !hashed.has(column.name)).map((column) => column.name);
  const sql = valueCheckSql(checks, textColumns, primaryKey, fromWhere);
  if (!sql) return { findings: [], textBytes: {}, overrides: new Map() };
  const row = (await client.query<Record<string, string | number | null>>(sql)).rows[0] ?? {};
  const textBytes = Object.fromEntries(textColumns.map((name, index) => [name, Number(row[`m${index}`] ?? 0)]));
  const findings: ValueFinding[] = [];
  const failing = new Map<string, ValueCheck[]>();
  checks.forEach((check, index) => {
    const rows = Number(row[`c${index}`] ?? 0);
    if (rows === 0) return;
    const action = policy === 'fail' ? 'failed' : policy === 'truncate' && check.problem === 'text over 65535 bytes' ? 'truncated' : 'set to NULL';
    findings.push({ column: check.column, problem: check.problem, rows, example_key: String(row[`k${index}`] ?? ''), action });
    failing.set(check.column, [...(failing.get(check.column) ?? []), check]);
  });
  if (policy === 'fail' && findings.length > 0) {
    const first = findings[0]!;
    throw new ValueCheckError(
      `${tableId}: column ${first.column} holds ${first.problem} in ${first.rows} row(s)${first.example_key ? ` (primary key ${first.example_key})` : ''}, which Redshift cannot load; ` +
        `fix the source, or set value_policy: null or truncate on ${where}`,
      { table: tableId, phase: 'check', column: first.column, key: first.example_key, problem: first.problem },
    );
  }
  const overrides = new Map([...failing].map(([column, list]) => [column, policedExpression(column, list, policy as Exclude<ValuePolicy, 'fail'>)]));
  return { findings, textBytes, overrides };
}

/** A value Redshift cannot hold, under value_policy: fail. */
export class ValueCheckError extends ExtractError {
  override name = 'ValueCheckError';
}
