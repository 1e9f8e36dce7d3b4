// DECODE and NVL2, Redshift's shorthands for CASE, written out as CASE expressions.

import type { TokenEdits } from './token-edits.js';

/**
 * DECODE(expr, search, result [, search, result]… [, default]). A NULL search matches a NULL
 * expression, hence IS NOT DISTINCT FROM rather than the `=` of a simple CASE.
 * https://docs.aws.amazon.com/redshift/latest/dg/r_DECODE_expression.html
 */
export function rewriteDecode(edits: TokenEdits, name: number, open: number, close: number): void {
  const args = edits.args(open, close).map((range) => edits.argText(range));
  // PostgreSQL's own decode(text, format) takes two arguments; Redshift's takes three or more.
  if (args.length < 3) return;
  const [expression, ...rest] = args;
  const branches: string[] = [];
  for (let i = 0; i + 1 < rest.length; i += 2) {
    branches.push(`when (${expression}) is not distinct from (${rest[i]}) then ${rest[i + 1]}`);
  }
  const fallback = rest.length % 2 === 1 ? ` else ${rest.at(-1)}` : '';
  edits.replaceRange(name, close, `(case ${branches.join(' ')}${fallback} end)`);
}

/**
 * NVL2(expr, not_null_value, null_value).
 * https://docs.aws.amazon.com/redshift/latest/dg/r_NVL2.html
 */
export function rewriteNvl2(edits: TokenEdits, name: number, open: number, close: number): void {
  const args = edits.args(open, close).map((range) => edits.argText(range));
  if (args.length !== 3) return;
  edits.replaceRange(name, close, `(case when (${args[0]}) is not null then ${args[1]} else ${args[2]} end)`);
}
