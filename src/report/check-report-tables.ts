// Before any query: every report table must exist with the columns the report reads, so a
// missing model fails with the table's name and the command to run, not with an SQL error.

import type { Warehouse } from '../warehouse/warehouse.js';
import { ReportError, runFirstHint } from './report-error.js';
import { columnNames, REPORT_TABLE_LIST, sourceColumnName, type ReportTable } from './report-tables.js';

export async function checkReportTables(warehouse: Warehouse, schema: string, date: string, tables: readonly ReportTable[] = REPORT_TABLE_LIST): Promise<void> {
  const described = await Promise.all(tables.map(async (table) => ({ table, columns: await warehouse.describeTable(schema, table.name) })));
  const missing = described.filter((entry) => entry.columns === undefined).map((entry) => `${schema}.${entry.table.name}`);
  if (missing.length > 0) {
    throw new ReportError(
      `report for ${date}: ${missing.length === 1 ? 'table' : 'tables'} ${missing.join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist; ${runFirstHint(date)} to build the report models`,
      { table: missing[0], date, schema },
    );
  }
  for (const { table, columns } of described) {
    const present = new Set(columns!.map((column) => column.name));
    const read = columnNames(table).map((name) => sourceColumnName(table, name));
    const absent = read.filter((name) => !present.has(name));
    if (absent.length > 0) {
      throw new ReportError(
        `report for ${date}: ${schema}.${table.name} has no column ${absent.join(', ')} (the report reads ${read.join(', ')}); rebuild it with \`pgshift run --date ${date}\``,
        { table: `${schema}.${table.name}`, date, column: absent[0] },
      );
    }
  }
}
