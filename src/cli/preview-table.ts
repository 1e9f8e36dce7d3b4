// The rows of `pgshift show` as dbt prints them: a `Previewing node 'x':` line, then a table in
// the pipes-and-dashes form of dbt's agate, numbers right-aligned; or dbt's JSON shape.

export interface Preview {
  readonly node: string;
  readonly inline: boolean;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
}

const NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

export function previewText(preview: Preview): string {
  const heading = preview.inline ? 'Previewing inline node:' : `Previewing node '${preview.node}':`;
  const cells = preview.rows.map((row) => row.map(cellText));
  const widths = preview.columns.map((name, i) => Math.max(name.length, ...cells.map((row) => row[i]!.length), 1));
  // A column whose every value is a number reads best right-aligned, as agate prints Number columns.
  const numeric = preview.columns.map((_, i) => cells.length > 0 && cells.every((row) => row[i] === '' || NUMBER.test(row[i]!)));
  const line = (values: readonly string[], right: readonly boolean[]) =>
    `| ${values.map((value, i) => (right[i] ? value.padStart(widths[i]!) : value.padEnd(widths[i]!))).join(' | ')} |`;
  const lines = [
    heading,
    line(preview.columns, numeric),
    `| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`,
    ...cells.map((row) => line(row, numeric)),
  ];
  return `${lines.join('\n')}\n`;
}

/** dbt's `--output json`: `{"node": name, "show": [row objects]}`. */
export function previewJson(preview: Preview): string {
  const show = preview.rows.map((row) => Object.fromEntries(preview.columns.map((name, i) => [name, jsonValue(row[i])])));
  return `${JSON.stringify({ node: preview.node, show }, null, 2)}\n`;
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function jsonValue(value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value === undefined ? null : value;
}
