// Rewrites calls of Redshift functions whose PostgreSQL spelling differs, on tokens: date part
// keywords become string literals, TRY_CAST, DECODE, NVL2 and LISTAGG become PostgreSQL
// constructs, REGEXP_REPLACE replaces every match. Functions PostgreSQL lacks altogether are
// installed instead (session-functions.ts).

import { datepartUnit } from './dateparts.js';
import type { TokenEdits } from './token-edits.js';
import { rewriteDecode, rewriteNvl2 } from './translate-case-functions.js';
import { rewriteListagg } from './translate-listagg.js';
import { rewriteTryCast } from './translate-try-cast.js';

/** Rewrites the call whose name is at `name`, its parentheses at `open` and `close`. */
export type CallRewriter = (edits: TokenEdits, name: number, open: number, close: number) => void;

const REWRITERS = new Map<string, CallRewriter>([
  // DATEADD(day, 1, x): Redshift takes the date part as a keyword, PostgreSQL needs a value.
  // https://docs.aws.amazon.com/redshift/latest/dg/r_DATEADD_function.html
  ['dateadd', quoteDatepart(false)],
  ['datediff', quoteDatepart(false)],
  // DATE_PART(dow, x) takes a keyword too, but PostgreSQL's date_part(text, …) also takes a text
  // column: only Redshift's own spellings are quoted.
  ['date_part', quoteDatepart(true)],
  ['extract', renameExtractField],
  ['regexp_replace', rewriteRegexpReplace],
  ['try_cast', rewriteTryCast],
  ['decode', rewriteDecode],
  ['nvl2', rewriteNvl2],
  ['listagg', rewriteListagg],
]);

export function rewriteCalls(edits: TokenEdits): void {
  // Right to left, so an inner call is rewritten before an outer one copies its text.
  for (let p = edits.length - 2; p >= 0; p--) {
    const name = edits.word(p);
    const rewrite = name === undefined ? undefined : REWRITERS.get(name);
    if (!rewrite || !edits.isCall(p, name!)) continue;
    const close = edits.closing(p + 1);
    if (close !== undefined) rewrite(edits, p, p + 1, close);
  }
}

function quoteDatepart(onlyKnown: boolean): CallRewriter {
  return (edits, _name, open, close) => {
    const first = edits.args(open, close)[0];
    if (!first || first.from !== first.to || edits.token(first.from)?.kind !== 'word') return;
    const spelling = edits.word(first.from)!;
    const unit = datepartUnit(spelling);
    if (onlyKnown && unit === undefined) return;
    // An unknown spelling stays as written, so the installed function names it in its error.
    edits.replace(first.from, `'${unit ?? spelling}'`);
  };
}

function renameExtractField(edits: TokenEdits, _name: number, open: number): void {
  // EXTRACT(dw FROM x): PostgreSQL reads the field as a word too, but knows fewer spellings.
  const spelling = edits.word(open + 1);
  const unit = spelling === undefined ? undefined : datepartUnit(spelling);
  if (unit !== undefined && unit !== spelling && edits.word(open + 2) === 'from') edits.replace(open + 1, unit);
}

function rewriteRegexpReplace(edits: TokenEdits, name: number, open: number, close: number): void {
  // Redshift replaces every match and defaults the replacement to ''; PostgreSQL replaces the
  // first match unless told 'g'. A 4th argument is a start position in Redshift but flags in
  // PostgreSQL 15, so those calls go to an installed function.
  // https://docs.aws.amazon.com/redshift/latest/dg/REGEXP_REPLACE.html
  const count = edits.args(open, close).length;
  if (count === 2) edits.replace(close, ", '', 'g')");
  else if (count === 3) edits.replace(close, ", 'g')");
  else if (count > 3) edits.replace(name, 'pg_catalog.redshift_regexp_replace');
}
