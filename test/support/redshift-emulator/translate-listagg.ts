// LISTAGG([DISTINCT] expr [, delimiter]) [WITHIN GROUP (ORDER BY …)] [OVER (…)] as
// PostgreSQL's string_agg. https://docs.aws.amazon.com/redshift/latest/dg/r_LISTAGG.html

import type { TokenEdits, TokenRange } from './token-edits.js';

const ORDER_SUFFIX = /^(?:asc|desc)?(?:\s+nulls\s+(?:first|last))?$/i;

export function rewriteListagg(edits: TokenEdits, name: number, open: number, close: number): void {
  const args = edits.args(open, close);
  if (args.length < 1 || args.length > 2) return;
  const distinct = edits.word(args[0]!.from) === 'distinct';
  const expressionRange = distinct ? { from: args[0]!.from + 1, to: args[0]!.to } : args[0]!;
  if (expressionRange.from > expressionRange.to) return;
  const expression = edits.argText(expressionRange);
  // NULLs and empty strings are left out, and any type is listed as its text.
  const value = `nullif(cast(${expression} as text), '')`;
  // The default delimiter is NULL, which joins the values with nothing between them.
  const delimiter = args[1] ? edits.argText(args[1]) : "''";

  let end = close;
  let order: TokenRange[] | undefined;
  if (edits.word(close + 1) === 'within' && edits.word(close + 2) === 'group' && edits.punct(close + 3, '(')) {
    const groupClose = edits.closing(close + 3);
    if (groupClose === undefined || edits.word(close + 4) !== 'order' || edits.word(close + 5) !== 'by') return;
    order = edits.args(close + 5, groupClose);
    end = groupClose;
  }

  if (edits.word(end + 1) === 'over' && edits.punct(end + 2, '(')) {
    // PostgreSQL allows neither ORDER BY inside a window aggregate's arguments nor DISTINCT: the
    // order moves into the window, whose frame then has to span the whole partition.
    const overClose = edits.closing(end + 2);
    if (distinct || overClose === undefined) return;
    if (order) edits.replace(overClose, ` order by ${orderList(edits, order)} rows between unbounded preceding and unbounded following)`);
    edits.replaceRange(name, end, `string_agg(${value}, ${delimiter})`);
    return;
  }

  // With DISTINCT, PostgreSQL wants the ORDER BY expressions among the arguments, so ordering by
  // the listed expression means ordering by its rewritten form.
  const sortedBy = order && ` order by ${orderList(edits, order, distinct ? { expression, value } : undefined)}`;
  edits.replaceRange(name, end, `string_agg(${distinct ? 'distinct ' : ''}${value}, ${delimiter}${sortedBy ?? ''})`);
}

function orderList(edits: TokenEdits, items: TokenRange[], listed?: { expression: string; value: string }): string {
  return items
    .map((item) => {
      const text = edits.argText(item);
      if (!listed || !text.startsWith(listed.expression)) return text;
      const suffix = text.slice(listed.expression.length).trim();
      return ORDER_SUFFIX.test(suffix) ? `${listed.value}${suffix ? ` ${suffix}` : ''}` : text;
    })
    .join(', ');
}
