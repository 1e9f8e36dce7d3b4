// Redshift's reserved words, and the check that refuses one used as a bare identifier.
// The list is the documented one, word for word:
// https://docs.aws.amazon.com/redshift/latest/dg/r_pg_keywords.html ("You can use the reserved
// words with delimited identifiers (double quotation marks)"; unquoted, they are syntax errors).
// Names that Redshift's QUOTE_IDENT leaves bare are folded to lower case only; it does not quote
// keywords (https://docs.aws.amazon.com/redshift/latest/dg/r_QUOTE_IDENT.html), so dynamic SQL
// built with it hits the same error, which is why procedure bodies are checked too.

import type { TokenCursor } from './token-cursor.js';

export const RESERVED_WORDS: ReadonlySet<string> = new Set(
  `AES128 AES256 ALL ALLOWOVERWRITE ANALYSE ANALYZE AND ANY ARRAY AS ASC AUTHORIZATION AZ64 BACKUP
   BETWEEN BINARY BLANKSASNULL BOTH BYTEDICT BZIP2 CASE CAST CHECK COLLATE COLUMN CONSTRAINT CREATE
   CREDENTIALS CROSS CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER CURRENT_USER_ID DEFAULT
   DEFERRABLE DEFLATE DEFRAG DELTA DELTA32K DESC DISABLE DISTINCT DO ELSE EMPTYASNULL ENABLE ENCODE
   ENCRYPT ENCRYPTION END EXCEPT EXPLICIT FALSE FOR FOREIGN FREEZE FROM FULL GLOBALDICT256
   GLOBALDICT64K GRANT GROUP GZIP HAVING IDENTITY IGNORE ILIKE IN INITIALLY INNER INTERSECT INTERVAL
   INTO IS ISNULL JOIN LEADING LEFT LIKE LIMIT LOCALTIME LOCALTIMESTAMP LUN LUNS LZO LZOP MINUS
   MOSTLY16 MOSTLY32 MOSTLY8 NATURAL NEW NOT NOTNULL NULL NULLS OFF OFFLINE OFFSET OID OLD ON ONLY
   OPEN OR ORDER OUTER OVERLAPS PARALLEL PARTITION PERCENT PERMISSIONS PIVOT PLACING PRIMARY RAW
   READRATIO RECOVER REFERENCES REJECTLOG RESORT RESPECT RESTORE RIGHT SELECT SESSION_USER SIMILAR
   SNAPSHOT SOME SYSDATE SYSTEM TABLE TAG TDES TEXT255 TEXT32K THEN TIMESTAMP TO TOP TRAILING TRUE
   TRUNCATECOLUMNS UNION UNIQUE UNNEST UNPIVOT USER USING VERBOSE WALLET WHEN WHERE WITH WITHOUT`
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase()),
);

// Keywords after which a relation (or schema) name comes: a reserved word there is a name.
const NAME_POSITIONS = new Set(['from', 'join', 'into', 'update', 'table', 'schema', 'view', 'exists']);
// Reserved words that legitimately follow those keywords: `from only t`, `extract(day from
// current_date)`, `from timestamp '…'`, `if not exists`, `delete from`, `schema authorization`.
const ALLOWED_AFTER_NAME_POSITION = new Set([
  'select',
  'only',
  'with',
  'timestamp',
  'interval',
  'current_date',
  'current_time',
  'current_timestamp',
  'localtime',
  'localtimestamp',
  'sysdate',
  'current_user',
  'session_user',
  'user',
  'null',
  'true',
  'false',
  'case',
  'cast',
  'not',
  'distinct',
  'all',
  'both',
  'leading',
  'trailing',
  'authorization',
]);

export class ReservedWordError extends Error {
  override name = 'ReservedWordError';
  constructor(readonly word: string) {
    super(`syntax error at or near "${word}"`);
  }
}

/** Throws when a reserved word stands unquoted where only a name can: `raw.t`, `from raw`. */
export function checkReservedWords(cursor: TokenCursor): void {
  const at = (p: number) => {
    const index = cursor.significant[p];
    return index === undefined ? undefined : cursor.tokens[index];
  };
  for (let p = 0; p < cursor.significant.length; p++) {
    const token = at(p)!;
    if (token.kind !== 'word') continue;
    const word = token.text.toLowerCase();
    if (!RESERVED_WORDS.has(word)) continue;
    const before = p > 0 ? at(p - 1) : undefined;
    const after = at(p + 1);
    // A name's first part (`raw.t`) must not be reserved; after a dot any word may follow
    // (`n.oid`, as the catalog examples in the docs write), as in the PostgreSQL grammar
    // Redshift's descends from.
    const dotAfter = after?.kind === 'punct' && after.text === '.';
    const dotBefore = before?.kind === 'punct' && before.text === '.';
    if (dotAfter && !dotBefore) throw new ReservedWordError(token.text);
    const previous = before?.kind === 'word' ? before.text.toLowerCase() : undefined;
    if (previous && NAME_POSITIONS.has(previous) && !ALLOWED_AFTER_NAME_POSITION.has(word)) {
      const opensCallOrLiteral = after?.kind === 'string' || (after?.kind === 'punct' && after.text === '(');
      if (!opensCallOrLiteral) throw new ReservedWordError(token.text);
    }
  }
}

// Reserved words that open a table constraint or LIKE inside CREATE TABLE's parentheses.
const ELEMENT_STARTS = new Set(['primary', 'unique', 'foreign', 'check', 'constraint', 'like']);

/** A column named by a bare reserved word in CREATE TABLE (…) or ALTER TABLE … ADD [COLUMN]. */
export function checkReservedColumnNames(cursor: TokenCursor): void {
  const at = (p: number) => cursor.tokens[cursor.significant[p]!];
  const word = (p: number) => {
    const token = at(p);
    return token?.kind === 'word' ? token.text.toLowerCase() : undefined;
  };
  const refuse = (p: number) => {
    const token = at(p);
    if (token?.kind === 'word' && RESERVED_WORDS.has(token.text.toLowerCase()) && !ELEMENT_STARTS.has(token.text.toLowerCase())) {
      throw new ReservedWordError(token.text);
    }
  };
  if (word(0) === 'alter' && word(1) === 'table') {
    for (let p = 2; p < cursor.significant.length - 1; p++) {
      if (word(p) === 'add') refuse(word(p + 1) === 'column' ? p + 2 : p + 1);
    }
    return;
  }
  if (word(0) !== 'create') return;
  let p = 1;
  while (['temp', 'temporary', 'local'].includes(word(p) ?? '')) p++;
  if (word(p) !== 'table') return;
  for (; p < cursor.significant.length; p++) {
    const token = at(p)!;
    if (token.kind === 'punct' && token.text === '(') break;
    if (token.kind === 'word' && token.text.toLowerCase() === 'as') return;
  }
  const close = cursor.matchingParen(p);
  if (close === undefined) return;
  refuse(p + 1);
  for (let q = p + 1; q < close; q++) {
    const token = at(q)!;
    if (token.kind === 'punct' && token.text === '(') q = cursor.matchingParen(q) ?? q;
    else if (token.kind === 'punct' && token.text === ',') refuse(q + 1);
  }
}

/**
 * The same check for SQL that only exists at run time (EXECUTE in a procedure body), as a
 * PostgreSQL function: literals and quoted names are blanked out, then a reserved word before a
 * dot or right after FROM/JOIN/INTO/UPDATE/TABLE is a syntax error.
 */
export function reservedWordsFunctionSql(): string {
  const words = [...RESERVED_WORDS].join('|');
  const allowed = [...ALLOWED_AFTER_NAME_POSITION].join('|');
  return `create or replace function pg_catalog.redshift_emulator_checked_sql(sql text) returns text
     language plpgsql immutable
     as $fn$
     declare
       bare text := regexp_replace(sql, '''(?:[^'']|'''')*''|"(?:[^"]|"")*"', ' '' '' ', 'g');
       hit text[];
     begin
       hit := regexp_match(bare, '(?:^|[^a-z0-9_$.])(${words})\\s*\\.', 'i');
       if hit is null then
         hit := regexp_match(bare, '\\m(?:from|join|into|update|table)\\s+(?!(?:${allowed})\\M)(${words})\\M(?!\\s*[(''])', 'i');
       end if;
       if hit is not null then
         raise exception 'syntax error at or near "%"', hit[1] using errcode = '42601';
       end if;
       return sql;
     end
     $fn$`;
}
