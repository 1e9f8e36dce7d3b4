// TRY_CAST(expr AS type) as a call of the installed redshift_try_cast(), which returns NULL
// where the conversion fails. https://docs.aws.amazon.com/redshift/latest/dg/r_TRY_CAST.html

import type { TokenEdits } from './token-edits.js';

/**
 * try_cast(x as numeric(10, 2)) becomes
 * cast(pg_catalog.redshift_try_cast(x, cast(null as numeric(10, 2)), 'numeric(10, 2)') as numeric(10, 2)):
 * the typed NULL picks the polymorphic result type, the type's text keeps its modifiers for the
 * conversion itself, and the outer cast gives the column its declared type.
 */
export function rewriteTryCast(edits: TokenEdits, name: number, open: number, close: number): void {
  const as = separatingAs(edits, open, close);
  if (as === undefined || as === open + 1 || as === close - 1) return;
  const type = edits.argText({ from: as + 1, to: close - 1 }).replace(/\s+/g, ' ');
  edits.replace(name, 'cast(pg_catalog.redshift_try_cast');
  edits.replace(as, ', cast(null as');
  edits.trimSpaceBefore(as);
  edits.replace(close, `), '${type.replaceAll("'", "''")}') as ${type})`);
}

/** The last AS at the call's own level: one inside the expression sits in nested parentheses. */
function separatingAs(edits: TokenEdits, open: number, close: number): number | undefined {
  let depth = 0;
  let found: number | undefined;
  for (let p = open + 1; p < close; p++) {
    if (edits.punct(p, '(')) depth++;
    else if (edits.punct(p, ')')) depth--;
    else if (depth === 0 && edits.word(p) === 'as') found = p;
  }
  return found;
}
