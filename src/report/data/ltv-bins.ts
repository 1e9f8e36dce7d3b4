// Chooses the histogram bins for customer lifetime value. Lifetime value is long-tailed: bins
// that span up to the maximum would squeeze almost everyone into the first bar, so the bins
// cover up to the 99th percentile and one open-ended bar holds the tail.

import { niceStep, roundToStep } from '../nice-number.js';

export interface LtvStats {
  readonly customers: number;
  readonly min: number;
  readonly max: number;
  readonly p99: number;
}

export interface BinPlan {
  readonly start: number;
  readonly width: number;
  /** Index of the last bar; it is open-ended (`≥ …`) when `overflow` is set. */
  readonly lastIndex: number;
  readonly overflow: boolean;
}

const TARGET_BINS = 10;

export function planLtvBins(stats: LtvStats): BinPlan {
  const low = Math.min(0, stats.min);
  const high = stats.p99 > low ? stats.p99 : stats.max;
  const width = niceStep((high - low) / TARGET_BINS);
  const start = roundToStep(Math.floor(low / width) * width, width);
  const bins = Math.max(1, Math.ceil((high - start) / width - 1e-9));
  const overflow = stats.max >= start + bins * width;
  return { start, width, lastIndex: overflow ? bins : bins - 1, overflow };
}
