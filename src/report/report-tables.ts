// The five report tables the dashboard reads, with their columns: the one place that says what
// the report models must provide. Every query, check and CSV export is derived from this list.

export type ColumnKind = 'date' | 'integer' | 'decimal' | 'text';

export interface ReportTable {
  readonly name: ReportTableName;
  /** Column name → kind, in the order the CSV export writes them. */
  readonly columns: Readonly<Record<string, ColumnKind>>;
  /** Columns that identify a row: the CSV order, and what keeps paging stable. */
  readonly key: readonly string[];
  /**
   * The column that dates a row. Rows dated after the report day are left out, so a report
   * written again for an earlier day does not pick up what later runs added.
   */
  readonly dateColumn?: string;
}

export type ReportTableName = 'daily_sales' | 'product_performance' | 'customer_lifetime_value' | 'new_vs_returning_customers' | 'cohort_retention';

export const REPORT_TABLES: Readonly<Record<ReportTableName, ReportTable>> = {
  daily_sales: {
    name: 'daily_sales',
    columns: { order_date: 'date', orders: 'integer', units: 'integer', revenue: 'decimal', average_order_value: 'decimal' },
    key: ['order_date'],
    dateColumn: 'order_date',
  },
  // All-time figures as of the last run: there is no day to filter on.
  product_performance: {
    name: 'product_performance',
    columns: { product_id: 'integer', product_name: 'text', category: 'text', orders: 'integer', units: 'integer', revenue: 'decimal', revenue_rank: 'integer' },
    key: ['revenue_rank', 'product_id'],
  },
  customer_lifetime_value: {
    name: 'customer_lifetime_value',
    columns: { customer_id: 'integer', first_order_date: 'date', last_order_date: 'date', orders: 'integer', revenue: 'decimal', lifetime_value: 'decimal' },
    key: ['customer_id'],
    dateColumn: 'first_order_date',
  },
  new_vs_returning_customers: {
    name: 'new_vs_returning_customers',
    columns: { order_date: 'date', new_customers: 'integer', returning_customers: 'integer' },
    key: ['order_date'],
    dateColumn: 'order_date',
  },
  cohort_retention: {
    name: 'cohort_retention',
    columns: { cohort_month: 'date', months_since_first: 'integer', customers: 'integer', cohort_size: 'integer', retention_rate: 'decimal' },
    key: ['cohort_month', 'months_since_first'],
    dateColumn: 'cohort_month',
  },
};

export const REPORT_TABLE_LIST: readonly ReportTable[] = Object.values(REPORT_TABLES);

export function columnNames(table: ReportTable): string[] {
  return Object.keys(table.columns);
}
