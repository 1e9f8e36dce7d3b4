// The revenue trend: one point per day for the last thirty days up to the report day, with a
// trailing seven-day moving average where the table holds all seven days.

import { AVERAGE_DAYS, TREND_DAYS } from './data/read-report-data.js';
import type { DailySeries } from './data/read-daily-series.js';
import { addDays } from './report-date.js';
import { numberValue } from './report-sql.js';

export interface TrendPoint {
  readonly date: string;
  readonly revenue: number;
  /** Mean revenue of this day and the six before it; null while history is shorter. */
  readonly movingAverage: number | null;
}

export function revenueTrend(sales: DailySeries, date: string): TrendPoint[] {
  const revenueOn = (day: string) => numberValue(sales.days.get(day)?.revenue);
  const points: TrendPoint[] = [];
  for (let offset = TREND_DAYS - 1; offset >= 0; offset--) {
    const day = addDays(date, -offset);
    if (day < sales.firstDate) continue;
    const windowStart = addDays(day, -(AVERAGE_DAYS - 1));
    let movingAverage: number | null = null;
    if (windowStart >= sales.firstDate) {
      let total = 0;
      for (let back = 0; back < AVERAGE_DAYS; back++) total += revenueOn(addDays(day, -back));
      movingAverage = total / AVERAGE_DAYS;
    }
    points.push({ date: day, revenue: revenueOn(day), movingAverage });
  }
  return points;
}
