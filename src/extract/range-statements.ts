// The COPY and the count of one ctid range of a batch: the batch's own select and window, and
// `ctid >= start and ctid < end` (the last range: `ctid >= start`). PostgreSQL 14+ reads such a
// range with a TID Range Scan, only the range's blocks. The bounds come as transaction-local
// settings, like the window's, so no value is spliced into the SQL.

import type { BlockRange } from './slice-plan.js';
import type { ExtractPlan } from './extract-plan.js';

export interface RangeStatements {
  readonly copySql: string;
  readonly countSql: string;
  /** Set (transaction-locally) before the range's statements run. */
  readonly settings: Readonly<Record<string, string>>;
}

const bound = (name: string) => `(select current_setting('pgshift.${name}')::tid)`;

export function rangeStatements(plan: Pick<ExtractPlan, 'selectList' | 'relation' | 'windowPredicate'>, range: BlockRange): RangeStatements {
  const ctid = [`ctid >= ${bound('range_start')}`, ...(range.endBlock === undefined ? [] : [`ctid < ${bound('range_end')}`])].join(' and ');
  const where = plan.windowPredicate ? `${plan.windowPredicate} and ${ctid}` : ctid;
  const fromWhere = `from ${plan.relation} where ${where}`;
  return {
    copySql: `copy (select ${plan.selectList} ${fromWhere}) to stdout with (format csv, null '\\N')`,
    countSql: `select count(*)::bigint as rows ${fromWhere}`,
    settings: {
      // Tuple 0 of a block: the first tid of the block, so a range ends where the next starts.
      'pgshift.range_start': `(${range.startBlock},0)`,
      ...(range.endBlock === undefined ? {} : { 'pgshift.range_end': `(${range.endBlock},0)` }),
    },
  };
}
