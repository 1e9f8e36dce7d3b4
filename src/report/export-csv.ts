// Writes one report table to a CSV file, page by page: customer_lifetime_value holds a row per
// customer, and a page at a time keeps both memory and each Data API result small.

import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { StatementOptions, Warehouse } from '../warehouse/warehouse.js';
import { csvLine } from './csv.js';
import { orderByKey, pageClause, relationOf, selectList, textValue, upToDate } from './report-sql.js';
import { columnNames, type ReportTable } from './report-tables.js';

export interface CsvExportRequest {
  readonly schema: string;
  readonly table: ReportTable;
  readonly date: string;
  readonly file: string;
  readonly pageRows: number;
  readonly options?: StatementOptions;
}

/** Returns the number of data rows written (the header not counted). */
export async function exportTableCsv(warehouse: Warehouse, request: CsvExportRequest): Promise<number> {
  const { schema, table, date, pageRows } = request;
  const names = columnNames(table);
  const sql = (offset: number) =>
    `select ${selectList(table)} from ${relationOf(schema, table)} ${upToDate(table, '$1')} ${orderByKey(table)} ${pageClause(pageRows, offset)}`;
  const params = table.dateColumn ? [date] : [];
  let rows = 0;
  async function* lines(): AsyncGenerator<string> {
    yield csvLine(names);
    for (let offset = 0; ; offset += pageRows) {
      const page = await warehouse.query(sql(offset), params, request.options);
      yield page.map((row) => csvLine(names.map((name) => textValue(row[name])))).join('');
      rows += page.length;
      if (page.length < pageRows) return;
    }
  }
  await pipeline(Readable.from(lines()), createWriteStream(request.file, { encoding: 'utf8' }), { signal: request.options?.signal });
  return rows;
}
