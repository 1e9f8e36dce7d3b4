// Rewrites one Redshift statement into PostgreSQL: physical-design clauses that only steer
// Redshift's storage are dropped, Redshift-only types and functions get their nearest PostgreSQL
// equivalents (calls whose shape differs in translate-calls.ts). Works on tokens, so literals,
// quoted names and comments are never touched.

import { TokenCursor } from './token-cursor.js';
import { TokenEdits } from './token-edits.js';
import { rewriteCalls } from './translate-calls.js';
import { rewriteRoleGrantees } from './translate-grants.js';

export type TranslatedStatement =
  | { kind: 'sql'; sql: string }
  /** Accepted and ignored: it only tunes Redshift's storage (VACUUM, ALTER … DISTSTYLE, …). */
  | { kind: 'noop'; reason: string }
  /** ALTER TABLE target APPEND FROM source: moves rows, matched by column name. */
  | { kind: 'append'; target: string[]; source: string[]; extra: 'error' | 'ignoreextra' | 'filltarget' };

// Only these words after ENCODE are compression encodings, so `select encode from t` survives.
const ENCODINGS = new Set([
  'raw',
  'az64',
  'bytedict',
  'delta',
  'delta32k',
  'lzo',
  'mostly8',
  'mostly16',
  'mostly32',
  'runlength',
  'text255',
  'text32k',
  'zstd',
  'auto',
]);
const DISTSTYLES = new Set(['all', 'even', 'key', 'auto']);
// Redshift's largest VARCHAR and CHAR, which `max` stands for.
const MAX_LENGTH = new Map([
  ['varchar', '65535'],
  ['nvarchar', '65535'],
  ['varying', '65535'],
  ['char', '4096'],
  ['character', '4096'],
  ['nchar', '4096'],
  ['bpchar', '4096'],
]);

export function translateSql(sql: string): TranslatedStatement {
  const cursor = new TokenCursor(sql);
  const statementLevel = translateStatement(cursor);
  if (statementLevel) return statementLevel;
  const edits = new TokenEdits(cursor);
  rewriteClauses(edits);
  rewriteRoleGrantees(edits);
  rewriteCalls(edits);
  return { kind: 'sql', sql: edits.toString() };
}

function translateStatement(cursor: TokenCursor): TranslatedStatement | undefined {
  const first = cursor.keyword();
  if (first === 'vacuum') return { kind: 'noop', reason: 'VACUUM only reorganises Redshift storage' };
  if (first === 'analyze' && cursor.keyword(1) === 'compression') {
    return { kind: 'noop', reason: 'ANALYZE COMPRESSION only reports Redshift encodings' };
  }
  if (first !== 'alter' || cursor.keyword(1) !== 'table') return undefined;
  cursor.position = 2;
  cursor.accept('if', 'exists');
  const target = cursor.readQualifiedName();
  if (!target) return undefined;
  const at = cursor.position;
  if (cursor.accept('append', 'from')) {
    const source = cursor.readQualifiedName();
    if (source) {
      const extra = cursor.accept('ignoreextra') ? 'ignoreextra' : cursor.accept('filltarget') ? 'filltarget' : 'error';
      if (cursor.atEnd || cursor.isPunct(';')) return { kind: 'append', target, source, extra };
    }
  }
  cursor.position = at;
  if (cursor.accept('alter')) {
    const what = cursor.keyword();
    if (what && ['diststyle', 'distkey', 'sortkey', 'compound', 'interleaved', 'encode'].includes(what)) {
      return { kind: 'noop', reason: `ALTER ${what.toUpperCase()} only changes Redshift storage` };
    }
    // ALTER COLUMN c ENCODE x
    cursor.accept('column');
    cursor.readQualifiedName();
    if (cursor.keyword() === 'encode') return { kind: 'noop', reason: 'ALTER COLUMN … ENCODE only changes Redshift storage' };
  }
  cursor.position = 0;
  return undefined;
}

function rewriteClauses(edits: TokenEdits): void {
  // Storage clauses belong to CREATE/ALTER and come before a top-level AS (CREATE TABLE … AS,
  // CREATE VIEW … AS); after it is a query whose columns may well be called `sortkey`.
  let inDdlClauses = edits.word(0) === 'create' || edits.word(0) === 'alter';
  let depth = 0;

  const word = (p: number): string | undefined => edits.word(p);
  const punct = (p: number, text: string): boolean => edits.punct(p, text);
  const replace = (p: number, text: string): void => edits.replace(p, text);
  const remove = (from: number, to: number): void => edits.remove(from, to);
  const parenEnd = (p: number): number | undefined => (punct(p, '(') ? edits.closing(p) : undefined);
  const afterDot = (p: number): boolean => p > 0 && punct(p - 1, '.');

  for (let p = 0; p < edits.length; p++) {
    if (punct(p, '(')) depth++;
    else if (punct(p, ')')) depth--;
    const w = word(p);
    if (w === 'as' && depth === 0) inDdlClauses = false;
    if (w === undefined || afterDot(p) || punct(p + 1, '.')) continue;

    if (w === 'with' && word(p + 1) === 'no' && word(p + 2) === 'schema' && word(p + 3) === 'binding') {
      remove(p, p + 3);
      p += 3;
      continue;
    }
    if (inDdlClauses) {
      if (w === 'diststyle' && DISTSTYLES.has(word(p + 1) ?? '')) {
        remove(p, p + 1);
        p += 1;
        continue;
      }
      if (w === 'distkey') {
        const end = parenEnd(p + 1) ?? p;
        remove(p, end);
        p = end;
        continue;
      }
      if ((w === 'compound' || w === 'interleaved') && word(p + 1) === 'sortkey') {
        const end = parenEnd(p + 2) ?? p + 1;
        remove(p, end);
        p = end;
        continue;
      }
      if (w === 'sortkey') {
        const end = word(p + 1) === 'auto' ? p + 1 : (parenEnd(p + 1) ?? p);
        remove(p, end);
        p = end;
        continue;
      }
      if (w === 'encode' && ENCODINGS.has(word(p + 1) ?? '')) {
        remove(p, p + 1);
        p += 1;
        continue;
      }
      if (w === 'backup' && (word(p + 1) === 'no' || word(p + 1) === 'yes')) {
        remove(p, p + 1);
        p += 1;
        continue;
      }
      if (w === 'auto' && word(p + 1) === 'refresh' && (word(p + 2) === 'yes' || word(p + 2) === 'no')) {
        remove(p, p + 2);
        p += 2;
        continue;
      }
      if (w === 'password' && word(p + 1) === 'disable') {
        remove(p, p + 1);
        p += 1;
        continue;
      }
      if (w === 'identity' && punct(p + 1, '(')) {
        const end = edits.closing(p + 1);
        const seed = edits.token(p + 2);
        const step = edits.token(p + 4);
        if (end === p + 5 && seed?.kind === 'number' && punct(p + 3, ',') && step?.kind === 'number') {
          // GENERATED BY DEFAULT AS IDENTITY(s, n) keeps its mode; a bare IDENTITY(s, n) column
          // rejects explicit values in Redshift, as GENERATED ALWAYS does in PostgreSQL.
          const generated = word(p - 1) === 'as' ? '' : 'generated always as ';
          replace(p, `${generated}identity ${identityOptions(Number(seed.text), Number(step.text))}`);
          remove(p + 1, end);
          p = end;
          continue;
        }
      }
    }

    if (w === 'super' && !punct(p + 1, '(')) {
      replace(p, 'jsonb');
      continue;
    }
    if (w === 'varbyte' || w === 'varbinary' || (w === 'binary' && word(p + 1) === 'varying')) {
      const typeEnd = w === 'binary' ? p + 1 : p;
      const end = parenEnd(typeEnd + 1) ?? typeEnd;
      // bytea takes no length; the limit is Redshift's to enforce.
      replace(p, 'bytea');
      if (end > p) remove(p + 1, end);
      p = end;
      continue;
    }
    if (w === 'nvarchar') replace(p, 'varchar');
    const maxLength = MAX_LENGTH.get(w);
    if (maxLength && punct(p + 1, '(') && word(p + 2) === 'max' && punct(p + 3, ')')) {
      replace(p + 2, maxLength);
      p += 3;
      continue;
    }
    if (w === 'getdate' && punct(p + 1, '(') && punct(p + 2, ')')) {
      // GETDATE() is the statement's start in the session time zone (UTC), to the second.
      replace(p, "date_trunc('second', localtimestamp)");
      remove(p + 1, p + 2);
      p += 2;
      continue;
    }
    if (w === 'sysdate' && !punct(p + 1, '(')) {
      // SYSDATE is the transaction's start as a TIMESTAMP (no time zone), with microseconds.
      replace(p, 'localtimestamp');
      continue;
    }
    if (w === 'nvl' && punct(p + 1, '(')) replace(p, 'coalesce');
    else if (w === 'len' && punct(p + 1, '(')) replace(p, 'length');
  }
}

function identityOptions(seed: number, step: number): string {
  // PostgreSQL sequences default to MINVALUE 1 (ascending); Redshift seeds often start at 0.
  const bound = step > 0 ? (seed < 1 ? ` minvalue ${seed}` : '') : seed > -1 ? ` maxvalue ${seed}` : '';
  return `(start with ${seed} increment by ${step}${bound})`;
}
