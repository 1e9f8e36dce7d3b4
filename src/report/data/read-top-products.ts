// The best-selling products by all-time revenue, for the bar chart.

import type { StatementOptions, Warehouse } from '../../warehouse/warehouse.js';
import { ReportError, runFirstHint } from '../report-error.js';
import { numberValue, orderByKey, pageClause, relationOf, selectList, textValue } from '../report-sql.js';
import { REPORT_TABLES, type ReportTable } from '../report-tables.js';

export interface ProductRevenue {
  readonly productId: string;
  readonly name: string;
  readonly category: string;
  readonly orders: number;
  readonly units: number;
  readonly revenue: number;
  readonly rank: number;
}

export async function readTopProducts(
  warehouse: Warehouse,
  schema: string,
  date: string,
  limit: number,
  options?: StatementOptions,
  table: ReportTable = REPORT_TABLES.product_performance,
): Promise<ProductRevenue[]> {
  const rows = await warehouse.query(`select ${selectList(table)} from ${relationOf(schema, table)} ${orderByKey(table)} ${pageClause(limit, 0)}`, [], options);
  if (rows.length === 0) {
    throw new ReportError(`report for ${date}: ${schema}.${table.name} is empty; ${runFirstHint(date)}`, { table: `${schema}.${table.name}`, date });
  }
  return rows.map((row) => ({
    productId: textValue(row.product_id) ?? '',
    name: textValue(row.product_name) ?? '(unnamed)',
    category: textValue(row.category) ?? '',
    orders: numberValue(row.orders),
    units: numberValue(row.units),
    revenue: numberValue(row.revenue),
    rank: numberValue(row.revenue_rank),
  }));
}
