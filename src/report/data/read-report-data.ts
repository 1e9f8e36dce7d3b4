// Everything the dashboard shows, read from the report tables in a handful of small queries
// that run side by side; only aggregates and the top products leave the warehouse.

import type { StatementOptions, Warehouse } from '../../warehouse/warehouse.js';
import { addDays } from '../report-date.js';
import { REPORT_TABLES, type ReportTables } from '../report-tables.js';
import { readBatchChecks, type BatchCheck } from './read-batch-checks.js';
import { readCohorts, type CohortCell } from './read-cohorts.js';
import { readDailySeries, type DailySeries } from './read-daily-series.js';
import { readLtvHistogram, type LtvHistogram } from './read-ltv-histogram.js';
import { readTopProducts, type ProductRevenue } from './read-top-products.js';

export interface ReportData {
  readonly schema: string;
  readonly date: string;
  readonly sales: DailySeries;
  readonly customers: DailySeries;
  readonly topProducts: readonly ProductRevenue[];
  readonly ltv: LtvHistogram;
  readonly cohorts: readonly CohortCell[];
  /** The batches behind the day, reconciled source to raw; null when no records can be read. */
  readonly batches: readonly BatchCheck[] | null;
}

/** Days of the revenue trend chart, the report day included. */
export const TREND_DAYS = 30;
/** Days in the moving average and in the KPI baseline. */
export const AVERAGE_DAYS = 7;
export const TOP_PRODUCTS = 10;

export async function readReportData(
  warehouse: Warehouse,
  schema: string,
  date: string,
  options?: StatementOptions,
  tables: ReportTables = REPORT_TABLES,
): Promise<ReportData> {
  // The first trend point's moving average reaches AVERAGE_DAYS - 1 days further back.
  const salesFrom = addDays(date, -(TREND_DAYS + AVERAGE_DAYS - 2));
  const [sales, customers, topProducts, ltv, cohorts] = await settledInOrder([
    readDailySeries(warehouse, { schema, table: tables.daily_sales, from: salesFrom, to: date, options }),
    readDailySeries(warehouse, { schema, table: tables.new_vs_returning_customers, from: addDays(date, -AVERAGE_DAYS), to: date, options }),
    readTopProducts(warehouse, schema, date, TOP_PRODUCTS, options, tables.product_performance),
    readLtvHistogram(warehouse, schema, date, options, tables.customer_lifetime_value),
    readCohorts(warehouse, schema, date, options, tables.cohort_retention),
  ]);
  const batches = await readBatchChecks(warehouse, date, options);
  return { schema, date, sales, customers, topProducts, ltv, cohorts, batches };
}

/**
 * Like Promise.all, but when several reads fail the error reported is that of the first in
 * the list, not of whichever lost the race: the same missing day always names the same table.
 */
async function settledInOrder<T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
