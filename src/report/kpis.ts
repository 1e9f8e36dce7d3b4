// The day's headline numbers, each with two baselines: the day before, and the average of the
// seven days before (the day itself left out, so a spike does not dampen its own comparison).
//
// A day missing from a table after its first day had no orders and counts as 0; a day before
// it has no history, and a baseline made only of such days is shown as unavailable.

import { AVERAGE_DAYS, type ReportData } from './data/read-report-data.js';
import type { DailySeries } from './data/read-daily-series.js';
import { addDays } from './report-date.js';
import { numberValue } from './report-sql.js';

export type KpiId = 'revenue' | 'orders' | 'units' | 'average_order_value' | 'new_customers';

export interface Kpi {
  readonly id: KpiId;
  readonly label: string;
  readonly kind: 'money' | 'count';
  readonly value: number;
  readonly previousDay: number | null;
  readonly sevenDayAverage: number | null;
}

/** Relative change from `base` to `value`; null when there is no base to compare with. */
export function relativeChange(value: number, base: number | null): number | null {
  if (base === null || base === 0) return null;
  return (value - base) / Math.abs(base);
}

export function computeKpis(data: ReportData): Kpi[] {
  const { date, sales, customers } = data;
  const previous = addDays(date, -1);
  const window = Array.from({ length: AVERAGE_DAYS }, (_, index) => addDays(date, -(index + 1)));
  const measure = (series: DailySeries, column: string) => ({
    value: valueOn(series, date, column)!,
    previousDay: valueOn(series, previous, column),
    sevenDayAverage: averageOver(series, window, column),
  });
  const salesIn = window.filter((day) => day >= sales.firstDate);
  const windowRevenue = sum(salesIn.map((day) => valueOn(sales, day, 'revenue')!));
  const windowOrders = sum(salesIn.map((day) => valueOn(sales, day, 'orders')!));
  const previousOrders = valueOn(sales, previous, 'orders');
  return [
    { id: 'revenue', label: 'Revenue', kind: 'money', ...measure(sales, 'revenue') },
    { id: 'orders', label: 'Orders', kind: 'count', ...measure(sales, 'orders') },
    { id: 'units', label: 'Units sold', kind: 'count', ...measure(sales, 'units') },
    {
      id: 'average_order_value',
      label: 'Average order value',
      kind: 'money',
      value: valueOn(sales, date, 'average_order_value')!,
      // A day without orders has no average; the baseline weighs each day by its orders.
      previousDay: previousOrders ? valueOn(sales, previous, 'average_order_value') : null,
      sevenDayAverage: windowOrders > 0 ? windowRevenue / windowOrders : null,
    },
    { id: 'new_customers', label: 'New customers', kind: 'count', ...measure(customers, 'new_customers') },
  ];
}

function valueOn(series: DailySeries, day: string, column: string): number | null {
  if (day < series.firstDate) return null;
  return numberValue(series.days.get(day)?.[column]);
}

function averageOver(series: DailySeries, days: readonly string[], column: string): number | null {
  const covered = days.filter((day) => day >= series.firstDate);
  return covered.length === 0 ? null : sum(covered.map((day) => valueOn(series, day, column)!)) / covered.length;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
