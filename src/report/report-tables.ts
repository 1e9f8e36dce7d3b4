// The five report tables the dashboard reads, with their columns: the one place that says what
// the report models must provide. Every query, check and CSV export is derived from this list.
// Which model provides each is the project's choice (`report.models` in pgshift.yml).

import type { ReportPanel } from '../config/project-schema.js';

export type ColumnKind = 'date' | 'integer' | 'decimal' | 'text';

export interface ReportTable {
  /** The panel this table feeds. */
  readonly panel: ReportTableName;
  /** The relation read: the panel's name by default, the configured model's alias in a run. */
  readonly name: string;
  /** Column → the relation's column of another name (from `report.models.<panel>.columns`). */
  readonly columnSource?: Readonly<Record<string, string>>;
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

export type ReportTableName = ReportPanel;

export type ReportTables = Readonly<Record<ReportTableName, ReportTable>>;

/** The tables under their panels' own names. */
export const REPORT_TABLES: ReportTables = {
  daily_sales: {
    panel: 'daily_sales',
    name: 'daily_sales',
    columns: { order_date: 'date', orders: 'integer', units: 'integer', revenue: 'decimal', average_order_value: 'decimal' },
    key: ['order_date'],
    dateColumn: 'order_date',
  },
  // All-time figures as of the last run: there is no day to filter on.
  product_performance: {
    panel: 'product_performance',
    name: 'product_performance',
    columns: {
      product_id: 'integer',
      product_name: 'text',
      category: 'text',
      orders: 'integer',
      units: 'integer',
      revenue: 'decimal',
      revenue_rank: 'integer',
    },
    key: ['revenue_rank', 'product_id'],
  },
  customer_lifetime_value: {
    panel: 'customer_lifetime_value',
    name: 'customer_lifetime_value',
    columns: { customer_id: 'integer', first_order_date: 'date', last_order_date: 'date', orders: 'integer', revenue: 'decimal', lifetime_value: 'decimal' },
    key: ['customer_id'],
    dateColumn: 'first_order_date',
  },
  new_vs_returning_customers: {
    panel: 'new_vs_returning_customers',
    name: 'new_vs_returning_customers',
    columns: { order_date: 'date', new_customers: 'integer', returning_customers: 'integer' },
    key: ['order_date'],
    dateColumn: 'order_date',
  },
  cohort_retention: {
    panel: 'cohort_retention',
    name: 'cohort_retention',
    columns: { cohort_month: 'date', months_since_first: 'integer', customers: 'integer', cohort_size: 'integer', retention_rate: 'decimal' },
    key: ['cohort_month', 'months_since_first'],
    dateColumn: 'cohort_month',
  },
};

export const REPORT_TABLE_LIST: readonly ReportTable[] = Object.values(REPORT_TABLES);

export interface ReportRelation {
  readonly name: string;
  readonly columns?: Readonly<Record<string, string>>;
}

/** The tables bound to relations: each panel read from the relation (and columns) given for it. */
export function reportTablesNamed(relations: Readonly<Record<ReportTableName, ReportRelation>>): ReportTables {
  return Object.fromEntries(
    Object.values(REPORT_TABLES).map((table) => [
      table.panel,
      { ...table, name: relations[table.panel].name, columnSource: relations[table.panel].columns ?? {} },
    ]),
  ) as unknown as ReportTables;
}

/** The relation's column behind one of the table's columns. */
export function sourceColumnName(table: ReportTable, name: string): string {
  return table.columnSource?.[name] ?? name;
}

export function columnNames(table: ReportTable): string[] {
  return Object.keys(table.columns);
}
