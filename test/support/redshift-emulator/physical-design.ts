// Redshift's distribution keys, sort keys and column encodings, which the translation drops for
// PostgreSQL, remembered per column so ALTER TABLE can refuse what Redshift refuses:
// - "You can't drop a column that is the distribution key (DISTKEY) or a sort key (SORTKEY) of
//   the table" and ALTER COLUMN … TYPE only changes a VARCHAR's size, and not for columns encoded
//   BYTEDICT, RUNLENGTH, TEXT255 or TEXT32K: https://docs.aws.amazon.com/redshift/latest/dg/r_ALTER_TABLE.html
// - A table without any ENCODE is ENCODE AUTO, and Redshift then picks each column's encoding
//   itself (it may pick one of those four); once any column names an encoding, unnamed CHAR and
//   VARCHAR columns are LZO and sort keys RAW:
//   https://docs.aws.amazon.com/redshift/latest/dg/c_Compression_encodings.html
//   So the strict emulator refuses to widen an ENCODE AUTO column: nothing documented says it works.
// - CREATE TABLE … (LIKE parent) inherits "the encoding, distkey, sortkey, and notnull attributes":
//   https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_TABLE_NEW.html

import type pg from 'pg';
import { quoteQualified } from '../../../src/sql/quote-ident.js';
import { RedshiftRefusal } from './strict-rules.js';
import { identifierValue } from './sql-tokenizer.js';
import { TokenEdits } from './token-edits.js';
import type { TokenCursor } from './token-cursor.js';

export const DESIGN_TABLE_SQL = [
  `create table if not exists redshift_emulator.column_design (
     table_oid oid not null, column_name name not null, distkey boolean not null, sortkey boolean not null, encoding text not null,
     primary key (table_oid, column_name))`,
  'grant select, insert, update, delete on redshift_emulator.column_design to public',
];

const NOT_WIDENABLE = new Set(['bytedict', 'runlength', 'text255', 'text32k', 'auto']);
const CONSTRAINTS = new Set(['primary', 'unique', 'foreign', 'check', 'constraint', 'like']);

interface ColumnDesign {
  distkey: boolean;
  sortkey: boolean;
  encoding?: string;
}

/** What a CREATE TABLE or ALTER TABLE changes in the remembered design, applied after it ran. */
export type DesignChange = (client: pg.ClientBase) => Promise<void>;

/** Reads a statement by significant position (TokenEdits' readers), plus the names it declares. */
class Reader extends TokenEdits {
  name(p: number): string | undefined {
    const token = this.token(p);
    return token && (token.kind === 'word' || token.kind === 'quoted-ident') ? identifierValue(token) : undefined;
  }
  /** Names inside the parentheses opening at p. */
  names(p: number): string[] {
    const close = this.cursor.matchingParen(p) ?? p;
    const out: string[] = [];
    for (let q = p + 1; q < close; q++) {
      const name = this.name(q);
      if (name !== undefined) out.push(name);
    }
    return out;
  }
}

async function tableOid(client: pg.ClientBase, name: string[]): Promise<number | undefined> {
  const { rows } = await client.query<{ oid: number | null }>('select to_regclass($1)::oid::int as oid', [quoteQualified(...name)]);
  return rows[0]?.oid ?? undefined;
}

async function designOf(client: pg.ClientBase, name: string[], column: string): Promise<ColumnDesign | undefined> {
  const { rows } = await client.query<ColumnDesign>(
    `select d.distkey, d.sortkey, d.encoding from redshift_emulator.column_design d
      where d.table_oid = to_regclass($1)::oid and d.column_name = $2`,
    [quoteQualified(...name), column],
  );
  return rows[0];
}

/** CREATE TABLE: the design to record once the table exists. */
export function createTableDesign(cursor: TokenCursor): DesignChange | undefined {
  const r = new Reader(cursor);
  let p = 1;
  while (['temp', 'temporary', 'local'].includes(r.word(p) ?? '')) p++;
  if (r.word(p) !== 'table') return undefined;
  p++;
  if (r.word(p) === 'if' && r.word(p + 1) === 'not' && r.word(p + 2) === 'exists') p += 3;
  const name: string[] = [];
  for (;;) {
    const part = r.name(p);
    if (part === undefined) return undefined;
    name.push(part);
    p++;
    if (!r.punct(p, '.')) break;
    p++;
  }
  const columns = new Map<string, ColumnDesign>();
  let likeSource: string[] | undefined;
  let anyEncoding = false;
  if (r.punct(p, '(')) {
    const close = cursor.matchingParen(p);
    if (close === undefined) return undefined;
    let start = p + 1;
    for (let q = p + 1; q <= close; q++) {
      if (r.punct(q, '(')) {
        q = cursor.matchingParen(q) ?? q;
        continue;
      }
      if (!(r.punct(q, ',') || q === close)) continue;
      const first = r.word(start);
      if (first === 'like') {
        likeSource = [];
        for (let s = start + 1; s < q; s++) {
          const part = r.name(s);
          if (part !== undefined && !['including', 'excluding', 'defaults'].includes(part)) likeSource.push(part);
          if (!r.punct(s + 1, '.')) break;
          s++;
        }
      } else if (!CONSTRAINTS.has(first ?? '')) {
        const column = r.name(start);
        if (column !== undefined) {
          const design: ColumnDesign = { distkey: false, sortkey: false };
          for (let s = start + 1; s < q; s++) {
            const w = r.word(s);
            if (w === 'distkey') design.distkey = true;
            if (w === 'sortkey') design.sortkey = true;
            if (w === 'encode' && r.word(s + 1)) {
              design.encoding = r.word(s + 1);
              anyEncoding = true;
            }
          }
          columns.set(column, design);
        }
      }
      start = q + 1;
    }
    p = close + 1;
  }
  // Table attributes after the column list (or before AS in CREATE TABLE AS).
  for (let q = p; q < cursor.significant.length && r.word(q) !== 'as'; q++) {
    const w = r.word(q);
    if (w === 'distkey' && r.punct(q + 1, '(')) {
      for (const column of r.names(q + 1)) columns.set(column, { ...(columns.get(column) ?? { distkey: false, sortkey: false }), distkey: true });
    }
    if (w === 'sortkey' && r.punct(q + 1, '(')) {
      for (const column of r.names(q + 1)) columns.set(column, { ...(columns.get(column) ?? { distkey: false, sortkey: false }), sortkey: true });
    }
  }
  return async (client) => {
    const oid = await tableOid(client, name);
    if (oid === undefined) return;
    await client.query('delete from redshift_emulator.column_design where table_oid = $1', [oid]);
    if (likeSource) {
      await client.query(
        `insert into redshift_emulator.column_design
           select $1, d.column_name, d.distkey, d.sortkey, d.encoding from redshift_emulator.column_design d
            where d.table_oid = to_regclass($2)::oid`,
        [oid, quoteQualified(...likeSource)],
      );
    }
    const { rows } = await client.query<{ name: string; is_character: boolean }>(
      `select attname as name, atttypid in ('varchar'::regtype, 'bpchar'::regtype, 'text'::regtype) as is_character
         from pg_attribute where attrelid = $1 and attnum > 0 and not attisdropped`,
      [oid],
    );
    for (const row of rows) {
      const design = columns.get(row.name) ?? { distkey: false, sortkey: false };
      const encoding = design.encoding ?? (!anyEncoding ? 'auto' : design.sortkey ? 'raw' : row.is_character ? 'lzo' : 'az64');
      await client.query(`insert into redshift_emulator.column_design values ($1, $2, $3, $4, $5) on conflict (table_oid, column_name) do nothing`, [
        oid,
        row.name,
        design.distkey,
        design.sortkey,
        encoding,
      ]);
    }
  };
}

/** ALTER TABLE: refuses what Redshift refuses (before it runs) and returns the design change. */
export async function alterTableDesign(cursor: TokenCursor, client: pg.ClientBase): Promise<DesignChange | undefined> {
  const r = new Reader(cursor);
  if (r.word(0) !== 'alter' || r.word(1) !== 'table') return undefined;
  let p = 2;
  if (r.word(p) === 'if' && r.word(p + 1) === 'exists') p += 2;
  const table: string[] = [];
  for (;;) {
    const part = r.name(p);
    if (part === undefined) return undefined;
    table.push(part);
    p++;
    if (!r.punct(p, '.')) break;
    p++;
  }
  const action = r.word(p);
  const columnAt = r.word(p + 1) === 'column' ? p + 2 : p + 1;
  const column = r.name(columnAt);
  const relation = quoteQualified(...table);
  if (action === 'drop' && column !== undefined && r.word(p + 1) !== 'constraint') {
    const design = await designOf(client, table, column);
    if (design?.distkey) throw new RedshiftRefusal(`cannot drop distkey column "${column}"`);
    if (design?.sortkey) throw new RedshiftRefusal(`cannot drop sortkey column "${column}"`);
    return async (c) => {
      await c.query('delete from redshift_emulator.column_design where table_oid = to_regclass($1)::oid and column_name = $2', [relation, column]);
    };
  }
  if (action === 'alter' && column !== undefined && r.word(columnAt + 1) === 'type') {
    const type = r.word(columnAt + 2);
    const varchar = type === 'varchar' || type === 'nvarchar' || (type === 'character' && r.word(columnAt + 3) === 'varying');
    if (!varchar) throw new RedshiftRefusal(`ALTER COLUMN TYPE changes only the size of a VARCHAR column; "${column}" cannot become ${type ?? 'that type'}`);
    const design = await designOf(client, table, column);
    if (design && NOT_WIDENABLE.has(design.encoding ?? '')) {
      throw new RedshiftRefusal(
        design.encoding === 'auto'
          ? `cannot alter the type of column "${column}": it is ENCODE AUTO, so its encoding may be BYTEDICT, RUNLENGTH, TEXT255 or TEXT32K, which ALTER COLUMN TYPE refuses`
          : `cannot alter the type of column "${column}" encoded ${design.encoding!.toUpperCase()}`,
      );
    }
    return undefined;
  }
  if (action === 'alter' && column !== undefined && r.word(columnAt + 1) === 'encode' && r.word(columnAt + 2)) {
    const encoding = r.word(columnAt + 2)!;
    return async (c) => {
      await c.query('update redshift_emulator.column_design set encoding = $3 where table_oid = to_regclass($1)::oid and column_name = $2', [
        relation,
        column,
        encoding,
      ]);
    };
  }
  if (action === 'alter' && (r.word(p + 1) === 'distkey' || r.word(p + 1) === 'sortkey' || r.word(p + 2) === 'sortkey')) {
    const isDist = r.word(p + 1) === 'distkey';
    const keys = isDist
      ? [r.name(p + 2)].filter((name): name is string => name !== undefined)
      : r.punct(p + 2, '(')
        ? r.names(p + 2)
        : r.punct(p + 3, '(')
          ? r.names(p + 3)
          : [];
    const flag = isDist ? 'distkey' : 'sortkey';
    return async (c) => {
      await c.query(`update redshift_emulator.column_design set ${flag} = (column_name = any($2)) where table_oid = to_regclass($1)::oid`, [relation, keys]);
    };
  }
  if (action === 'add' && column !== undefined && !['constraint', 'primary', 'unique', 'foreign', 'check'].includes(r.word(p + 1) ?? '')) {
    let encoding = 'auto';
    for (let q = columnAt + 1; q < cursor.significant.length; q++) if (r.word(q) === 'encode' && r.word(q + 1)) encoding = r.word(q + 1)!;
    return async (c) => {
      await c.query(
        `insert into redshift_emulator.column_design select to_regclass($1)::oid, $2, false, false, $3 where to_regclass($1) is not null
           on conflict (table_oid, column_name) do update set encoding = excluded.encoding`,
        [relation, column, encoding],
      );
    };
  }
  if (action === 'rename' && r.word(p + 1) === 'column') {
    const to = r.name(p + 4);
    if (column !== undefined && to !== undefined) {
      return async (c) => {
        await c.query('update redshift_emulator.column_design set column_name = $3 where table_oid = to_regclass($1)::oid and column_name = $2', [
          relation,
          column,
          to,
        ]);
      };
    }
  }
  return undefined;
}
