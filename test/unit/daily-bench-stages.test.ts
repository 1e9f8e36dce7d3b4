// The daily bench's stage figures come from a run's JSON log: each node's own seconds, summed
// by kind, and the gaps before the grants and report lines.

import { describe, expect, it } from 'vitest';
import { stageSeconds } from '../../bench/daily-bench.js';

const line = (ts: string, msg: string, seconds?: number) =>
  JSON.stringify({ ts: `2026-11-23T00:00:${ts}Z`, level: 'info', msg, ...(seconds === undefined ? {} : { seconds }) });

describe('the daily bench reads stage seconds from the JSON log', () => {
  it('sums extract, load, seeds, models and tests, and times grants and the report by their gaps', () => {
    const log = [
      line('00.000', 'running 4 node(s) with 4 thread(s) on target dev'),
      line('00.500', '1 of 4 OK seed country_codes', 0.1),
      line('01.000', 'extracted shop.orders', 0.75),
      line('01.500', 'loaded raw.orders', 0.5),
      line('01.500', '2 of 4 OK source shop.orders (source 9, batch 9, loaded 9, tombstones 0)', 1.5),
      line('04.000', '3 of 4 OK model fct_orders', 2.5),
      line('05.000', '4 of 4 OK test unique_fct_orders_order_id', 1),
      line('05.250', 'grants reconciled: 2 statement(s)'),
      line('06.000', 'report written: target/reports/2026-11-22/index.html'),
      'RSS_KB=1000 CPU_S=1.00+0.10',
    ].join('\n');
    const stages = stageSeconds(log, 6.2);
    expect(stages).toMatchObject({ wall: 6.2, extract: 0.75, load: 0.5, seeds: 0.1, models: 2.5, tests: 1, grants: 0.25, report: 0.75 });
    expect(stages.slowest[0]).toEqual({ node: 'model fct_orders', seconds: 2.5 });
  });
});
