// The data-quality panel: each loaded batch whose interval covers the report day, with its
// reconciliation counts from pgshift_meta.batches (source window, batch, loaded, tombstones).

import { META_SCHEMA } from '../../batch/meta-schema.js';
import type { StatementOptions, Warehouse } from '../../warehouse/warehouse.js';
import { addDays } from '../report-date.js';
import { errorMessage } from '../../errors.js';
import { logger } from '../../log/logger.js';

export interface BatchCheck {
  readonly table: string;
  readonly batchId: string;
  readonly sourceRows: number | null;
  readonly batchRows: number;
  readonly loadedRows: number | null;
  readonly tombstones: number | null;
  /** Every known count agrees. */
  readonly reconciled: boolean;
}

/** The checks, or null when the warehouse keeps no batch records this report can read. */
export async function readBatchChecks(warehouse: Warehouse, date: string, options?: StatementOptions): Promise<BatchCheck[] | null> {
  try {
    const rows = await warehouse.query<Record<string, unknown>>(
      `select source, table_name, batch_id, rows, source_rows, loaded_rows, tombstones
         from ${META_SCHEMA}.batches
        where status = 'loaded' and interval_start < cast($2 as timestamptz) and interval_end > cast($1 as timestamptz)
        order by source, table_name, interval_end desc`,
      [`${date} 00:00:00+00:00`, `${addDays(date, 1)} 00:00:00+00:00`],
      options,
    );
    return rows.map((row) => {
      const count = (value: unknown) => (value === null || value === undefined ? null : Number(value));
      const batchRows = Number(row.rows);
      const sourceRows = count(row.source_rows);
      const loadedRows = count(row.loaded_rows);
      return {
        table: `${String(row.source)}.${String(row.table_name)}`,
        batchId: String(row.batch_id),
        sourceRows,
        batchRows,
        loadedRows,
        tombstones: count(row.tombstones),
        reconciled: (sourceRows === null || sourceRows === batchRows) && (loadedRows === null || loadedRows === batchRows),
      };
    });
  } catch (error) {
    // A warehouse loaded by something else, or before batches were recorded: no panel to show.
    // Anything else is worth a line, though the report itself stands.
    if (!/does not exist/i.test(errorMessage(error))) logger.warn(`report: the batch records could not be read: ${errorMessage(error)}`);
    return null;
  }
}
