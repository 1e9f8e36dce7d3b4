// A deliberately small SQL tokenizer for column lineage (select-lineage.ts): words, quoted
// identifiers, string literals, numbers, punctuation, and pgshift's relation tokens (a model's
// ref() before its name is resolved). Comments and whitespace are dropped. It does not validate
// anything: the warehouse parses the SQL for real, lineage only needs the select lists.

import { RELATION_MARK } from './relation.js';

export type SqlTokenKind = 'word' | 'quoted' | 'string' | 'number' | 'relation' | 'punct';

export interface SqlToken {
  readonly kind: SqlTokenKind;
  /**
   * word: lower case (unquoted names fold, as in PostgreSQL and Redshift); quoted: the name
   * exactly; relation: the unique id; string: the literal's text; punct and number: as written.
   */
  readonly value: string;
}

const WORD_START = /[A-Za-z_]/;
const WORD_PART = /[A-Za-z0-9_$]/;
const DIGIT = /[0-9]/;
const TWO_CHAR_PUNCT = new Set(['::', '||', '<=', '>=', '<>', '!=', '!~', '~*', '->']);

export function tokenizeSql(sql: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    if (c === ' ' || c === '\n' || c === '\t' || c === '\r') {
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? n : end + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 2;
    } else if (c === RELATION_MARK) {
      const end = sql.indexOf(RELATION_MARK, i + 1);
      const stop = end === -1 ? n : end;
      tokens.push({ kind: 'relation', value: sql.slice(i + 1, stop) });
      i = stop + 1;
    } else if (c === "'" || c === '"') {
      const [text, next] = readQuoted(sql, i, c);
      tokens.push({ kind: c === "'" ? 'string' : 'quoted', value: text });
      i = next;
    } else if (c === '$' && /^\$[A-Za-z_]*\$/.test(sql.slice(i, i + 64))) {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i, i + 64))![0];
      const end = sql.indexOf(tag, i + tag.length);
      const stop = end === -1 ? n : end;
      tokens.push({ kind: 'string', value: sql.slice(i + tag.length, stop) });
      i = end === -1 ? n : end + tag.length;
    } else if (WORD_START.test(c)) {
      let j = i + 1;
      while (j < n && WORD_PART.test(sql[j]!)) j++;
      tokens.push({ kind: 'word', value: sql.slice(i, j).toLowerCase() });
      i = j;
    } else if (DIGIT.test(c) || (c === '.' && DIGIT.test(sql[i + 1] ?? ''))) {
      let j = i + 1;
      while (j < n && /[0-9.eE]/.test(sql[j]!)) j++;
      tokens.push({ kind: 'number', value: sql.slice(i, j) });
      i = j;
    } else {
      const two = sql.slice(i, i + 2);
      const punct = TWO_CHAR_PUNCT.has(two) ? two : c;
      tokens.push({ kind: 'punct', value: punct });
      i += punct.length;
    }
  }
  return tokens;
}

/** A '…' literal or "…" identifier starting at `start`; a doubled quote stands for one. */
function readQuoted(sql: string, start: number, quote: string): [string, number] {
  let text = '';
  let i = start + 1;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === quote) {
      if (sql[i + 1] === quote) {
        text += quote;
        i += 2;
        continue;
      }
      return [text, i + 1];
    }
    text += c;
    i++;
  }
  return [text, i];
}
