// A collapsible table with the numbers behind a chart, for screen readers and for anyone
// who wants the exact figures without opening a CSV.

import { html, type SafeHtml } from './safe-html.js';

export interface DataTableColumn<Row> {
  readonly heading: string;
  readonly value: (row: Row) => string;
  readonly numeric?: boolean;
}

export function dataTable<Row>(caption: string, columns: readonly DataTableColumn<Row>[], rows: readonly Row[]): SafeHtml {
  return html`<details class="data"><summary>${caption}</summary><div class="table-scroll"><table>
    <thead><tr>${columns.map((column) => html`<th scope="col" class="${column.numeric ? 'num' : ''}">${column.heading}</th>`)}</tr></thead>
    <tbody>${rows.map((row) => html`<tr>${columns.map((column) => html`<td class="${column.numeric ? 'num' : ''}">${column.value(row)}</td>`)}</tr>`)}</tbody>
  </table></div></details>`;
}
