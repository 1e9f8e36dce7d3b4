// The terminal's view of a run: a line as each node starts and finishes, and dbt's closing
// tally (PASS / WARN / ERROR / SKIP).

import { logger } from '../log/logger.js';
import type { NodeResult } from './node-status.js';
import { describeCounts } from '../load/reconciliation.js';

/** `model stg_orders`, `test unique_fct_orders_order_id`, `source shop.orders`. */
export function describeNode(id: string): string {
  const [type, ...rest] = id.split('.');
  return type === 'source' ? `source ${rest.join('.')}` : `${type} ${rest.slice(1).join('.')}`;
}

export function reportFinish(result: NodeResult, index: number, total: number): void {
  const label = `${index} of ${total}`;
  const detail = { status: result.status, seconds: +result.executionTime.toFixed(2), rows: result.rowsAffected, failures: result.failures };
  if (result.status === 'error' || result.status === 'fail')
    logger.error(`${label} ${result.status.toUpperCase()} ${describeNode(result.uniqueId)}: ${result.message ?? ''}`, detail);
  else if (result.status === 'warn') logger.warn(`${label} WARN ${describeNode(result.uniqueId)}: ${result.message ?? ''}`, detail);
  else if (result.status === 'skipped') logger.info(`${label} SKIP ${describeNode(result.uniqueId)} (${result.message ?? ''})`, { status: result.status });
  else {
    const note = result.reconciliation
      ? ` (${describeCounts(result.reconciliation)})`
      : result.status === 'pass' && result.message
        ? ` (${result.message})`
        : '';
    logger.info(`${label} OK ${describeNode(result.uniqueId)}${note}`, detail);
  }
}

export interface Tally {
  pass: number;
  warn: number;
  error: number;
  skip: number;
  total: number;
}

export function tally(results: readonly NodeResult[]): Tally {
  const count = (statuses: string[]) => results.filter((result) => statuses.includes(result.status)).length;
  return { pass: count(['success', 'pass']), warn: count(['warn']), error: count(['error', 'fail']), skip: count(['skipped']), total: results.length };
}

export function reportSummary(results: readonly NodeResult[], seconds: number): Tally {
  const counts = tally(results);
  const line = `Done in ${seconds.toFixed(1)} s. PASS=${counts.pass} WARN=${counts.warn} ERROR=${counts.error} SKIP=${counts.skip} TOTAL=${counts.total}`;
  if (counts.error > 0) logger.error(line, { ...counts });
  else logger.info(line, { ...counts });
  return counts;
}
