// A query result as dbt's templates read an agate table: `table.columns[0].values()`,
// `table.columns['name']`, `table.rows[0][0]`, `row['name']`, `for row in table`, and
// load_result()'s `{ response, data, table }`.
// https://docs.getdbt.com/reference/dbt-jinja-functions/run_query

import type { QueryTable } from '../manifest/introspection.js';

export interface AgateColumn {
  readonly name: string;
  values(): unknown[];
  values_distinct(): unknown[];
}

/** Rows are arrays (Nunjucks iterates arrays), with a table's extra members on top. */
export type AgateTable = unknown[][] & {
  readonly rows: unknown[][];
  readonly columns: AgateColumn[];
  readonly column_names: string[];
};

export function agateTable(result: QueryTable): AgateTable {
  const names = [...result.columns];
  const rows = result.rows.map((values) => {
    const row = [...values];
    names.forEach((name, index) => {
      // The first column of a name wins, as agate's lookup by name does; numeric names stay indexes.
      if (!/^\d+$/.test(name) && !Object.hasOwn(row, name)) Object.defineProperty(row, name, { value: values[index], enumerable: false });
    });
    return row;
  });
  const columns: AgateColumn[] = names.map((name, index) => ({
    name,
    values: () => rows.map((row) => row[index]),
    values_distinct: () => [...new Set(rows.map((row) => row[index]))],
  }));
  names.forEach((name, index) => {
    if (!/^\d+$/.test(name) && !Object.hasOwn(columns, name)) Object.defineProperty(columns, name, { value: columns[index], enumerable: false });
  });
  const table = [...rows] as AgateTable;
  Object.defineProperties(table, {
    rows: { value: rows, enumerable: false },
    columns: { value: columns, enumerable: false },
    column_names: { value: names, enumerable: false },
  });
  return table;
}

/** What load_result() returns: dbt's response, the rows as lists, and the table. */
export function loadedResult(result: QueryTable, rowsAffected: number): Record<string, unknown> {
  const table = agateTable(result);
  const code = result.columns.length > 0 ? 'SELECT' : 'OK';
  return {
    table,
    data: table.rows.map((row) => [...row]),
    response: { _message: `${code} ${rowsAffected}`, code, rows_affected: rowsAffected },
  };
}
