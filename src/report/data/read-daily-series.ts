// Reads one measure-per-day table (daily_sales, new_vs_returning_customers) for the days the
// KPIs and the trend chart look at, plus the first day the table knows: before that day a
// missing row means "no history", after it "no orders that day".

import type { StatementOptions, Warehouse } from '../../warehouse/warehouse.js';
import { ReportError, runFirstHint } from '../report-error.js';
import { relationOf, selectList, sourceColumn, textValue } from '../report-sql.js';
import type { ReportTable } from '../report-tables.js';

export interface DailySeries {
  /** The earliest day in the table, up to the report day. */
  readonly firstDate: string;
  /** Rows by day ('YYYY-MM-DD'), values as the warehouse returned them. */
  readonly days: ReadonlyMap<string, Readonly<Record<string, string | null>>>;
}

export interface DailySeriesQuery {
  readonly schema: string;
  readonly table: ReportTable;
  readonly from: string;
  readonly to: string;
  readonly options?: StatementOptions;
}

export async function readDailySeries(warehouse: Warehouse, query: DailySeriesQuery): Promise<DailySeries> {
  const { schema, table, from, to } = query;
  const dateColumn = sourceColumn(table, table.dateColumn!);
  const relation = relationOf(schema, table);
  const [rows, first] = await Promise.all([
    warehouse.query(
      `select ${selectList(table)} from ${relation} where ${dateColumn} between cast($1 as date) and cast($2 as date) order by ${dateColumn}`,
      [from, to],
      query.options,
    ),
    warehouse.query(
      `select to_char(min(${dateColumn}), 'YYYY-MM-DD') as first_date from ${relation} where ${dateColumn} <= cast($1 as date)`,
      [to],
      query.options,
    ),
  ]);
  const days = new Map<string, Record<string, string | null>>();
  for (const row of rows) {
    const values: Record<string, string | null> = {};
    for (const [name, value] of Object.entries(row)) values[name] = textValue(value);
    days.set(values[table.dateColumn!]!, values);
  }
  if (!days.has(to)) {
    throw new ReportError(`report for ${to}: ${schema}.${table.name} has no row for ${to}; ${runFirstHint(to)}`, {
      table: `${schema}.${table.name}`,
      date: to,
    });
  }
  return { firstDate: textValue(first[0]?.first_date) ?? to, days };
}
