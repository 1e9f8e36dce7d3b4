// Scans a relation's text columns for personal data with the no_pii test's own query and
// returns a count per column and kind: what tests assert on and the demo summary prints.

import { WarehouseError } from '../errors.js';
import { quoteQualified } from '../sql/quote-ident.js';
import type { StatementOptions, Warehouse } from '../warehouse/warehouse.js';
import type { PiiKind } from './pii-patterns.js';
import { piiScanSql } from './pii-scan-sql.js';

export interface PiiRelation {
  readonly schema: string;
  readonly name: string;
}

export interface PiiColumnCounts {
  readonly column: string;
  /** Rows whose value holds that kind of personal data. */
  readonly counts: Readonly<Record<PiiKind, number>>;
}

// format_type() names of the types that hold free text.
const TEXT_TYPE = /^(text|character varying|character|varchar|char|bpchar|nvarchar|nchar)\b/;

/**
 * Counts, per column, the rows holding e-mail addresses, phone numbers and Luhn-valid card
 * numbers. Without `columns`, every text column of the relation is scanned. Columns come back
 * in the order scanned, with zero counts included.
 */
export async function scanForPii(
  warehouse: Warehouse,
  relation: PiiRelation,
  columns?: readonly string[],
  options: StatementOptions = {},
): Promise<PiiColumnCounts[]> {
  const scanned = columns ?? (await textColumns(warehouse, relation));
  if (scanned.length === 0) return [];
  const rows = await warehouse.query<{ column_name: string; pii_type: PiiKind; n_records: unknown }>(
    piiScanSql(warehouse.dialect, quoteQualified(relation.schema, relation.name), scanned),
    [],
    options,
  );
  return scanned.map((column) => {
    const counts: Record<PiiKind, number> = { email: 0, phone: 0, card_number: 0 };
    for (const row of rows) if (row.column_name === column) counts[row.pii_type] = Number(row.n_records);
    return { column, counts };
  });
}

async function textColumns(warehouse: Warehouse, relation: PiiRelation): Promise<string[]> {
  const described = await warehouse.describeTable(relation.schema, relation.name);
  if (!described)
    throw new WarehouseError(`cannot scan ${relation.schema}.${relation.name} for personal data: no such table or view`, {
      table: `${relation.schema}.${relation.name}`,
    });
  return described.filter((column) => TEXT_TYPE.test(column.type)).map((column) => column.name);
}
