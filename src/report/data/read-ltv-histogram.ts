// Customer lifetime value as histogram bars, counted inside the warehouse: the table holds a
// row per customer, and only the bar counts need to leave it.

import type { StatementOptions, Warehouse } from '../../warehouse/warehouse.js';
import { ReportError, runFirstHint } from '../report-error.js';
import { numberValue, relationOf, sourceColumn } from '../report-sql.js';
import { REPORT_TABLES, type ReportTable } from '../report-tables.js';
import { roundToStep } from '../nice-number.js';
import { planLtvBins, type LtvStats } from './ltv-bins.js';

export interface LtvBar {
  readonly from: number;
  /** Exclusive upper bound; null for the open-ended tail bar. */
  readonly to: number | null;
  readonly customers: number;
}

export interface LtvHistogram extends LtvStats {
  readonly median: number;
  readonly mean: number;
  readonly bars: readonly LtvBar[];
}

export async function readLtvHistogram(
  warehouse: Warehouse,
  schema: string,
  date: string,
  options?: StatementOptions,
  table: ReportTable = REPORT_TABLES.customer_lifetime_value,
): Promise<LtvHistogram> {
  const relation = relationOf(schema, table);
  const value = sourceColumn(table, 'lifetime_value');
  const where = `where ${value} is not null and ${sourceColumn(table, 'first_order_date')} <= cast($1 as date)`;
  // Both percentiles order by the same column: Redshift requires that of sort-based aggregates.
  const [statsRow] = await warehouse.query(
    `select count(*) as customers, min(${value}) as min_value, max(${value}) as max_value, avg(${value}) as mean_value,
            percentile_cont(0.5) within group (order by ${value}) as median_value,
            percentile_cont(0.99) within group (order by ${value}) as p99_value
       from ${relation} ${where}`,
    [date],
    options,
  );
  const stats: LtvStats = {
    customers: numberValue(statsRow?.customers),
    min: numberValue(statsRow?.min_value),
    max: numberValue(statsRow?.max_value),
    p99: numberValue(statsRow?.p99_value),
  };
  if (stats.customers === 0) {
    throw new ReportError(`report for ${date}: ${schema}.${table.name} has no customers up to ${date}; ${runFirstHint(date)}`, {
      table: `${schema}.${table.name}`,
      date,
    });
  }
  const plan = planLtvBins(stats);
  // Double precision keeps the bar arithmetic free of each dialect's numeric scale rules.
  const rows = await warehouse.query(
    `select least(greatest(cast(floor((cast(${value} as double precision) - cast($2 as double precision)) / cast($3 as double precision)) as integer), 0), cast($4 as integer)) as bar,
            count(*) as customers
       from ${relation} ${where}
      group by 1
      order by 1`,
    [date, String(plan.start), String(plan.width), String(plan.lastIndex)],
    options,
  );
  const counts = new Map(rows.map((row) => [numberValue(row.bar), numberValue(row.customers)]));
  const bars: LtvBar[] = [];
  for (let index = 0; index <= plan.lastIndex; index++) {
    const from = roundToStep(plan.start + index * plan.width, plan.width);
    const open = plan.overflow && index === plan.lastIndex;
    bars.push({ from, to: open ? null : roundToStep(from + plan.width, plan.width), customers: counts.get(index) ?? 0 });
  }
  return { ...stats, median: numberValue(statsRow?.median_value), mean: numberValue(statsRow?.mean_value), bars };
}
