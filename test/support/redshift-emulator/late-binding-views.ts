// CREATE VIEW … WITH NO SCHEMA BINDING, late bound for real. A late-binding view is not bound
// to the objects it references: they are checked only when the view is queried, so they can be
// dropped and re-created under it (usage notes of
// https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_VIEW.html). Querying one needs SELECT on
// the view, and its owner needs SELECT on what it references (same page): hence SECURITY DEFINER.
// A PostgreSQL view binds its tables by oid, so the emulator makes the view read a function that
// runs the query's text when queried: the table can be dropped, renamed or swapped underneath,
// and a query in between fails with "relation … does not exist", as on Redshift.
// (The columns are learnt from the tables as they are at CREATE time, so those must exist here.)

import { createHash } from 'node:crypto';
import type pg from 'pg';
import { quoteIdent, quoteQualified } from '../../../src/sql/quote-ident.js';
import type { TokenCursor } from './token-cursor.js';

export interface LateBindingView {
  orReplace: boolean;
  name: string[];
  columns?: string[];
  /** The view's query, already translated for PostgreSQL. */
  query: string;
}

/** Parses `create [or replace] view name [(cols)] as <query> with no schema binding`. */
export function parseLateBindingView(cursor: TokenCursor, sql: string): (Omit<LateBindingView, 'query'> & { queryText: string }) | undefined {
  cursor.position = 0;
  if (!cursor.accept('create')) return undefined;
  const orReplace = cursor.accept('or', 'replace');
  if (!cursor.accept('view')) return reset(cursor);
  const name = cursor.readQualifiedName();
  if (!name) return reset(cursor);
  const columns = cursor.readNameList();
  if (!cursor.isPunct('(') && cursor.keyword() !== 'as') return reset(cursor);
  const asAt = cursor.position;
  if (!cursor.accept('as')) return reset(cursor);
  const n = cursor.significant.length;
  let end = n;
  if (cursor.tokens[cursor.significant[n - 1]!]!.text === ';') end--;
  const words = [4, 3, 2, 1].map((back) => {
    const token = cursor.tokens[cursor.significant[end - back]!];
    return token?.kind === 'word' ? token.text.toLowerCase() : '';
  });
  if (words.join(' ') !== 'with no schema binding') return reset(cursor);
  const from = cursor.tokens[cursor.significant[asAt + 1]!]!.start;
  const to = cursor.tokens[cursor.significant[end - 4]!]!.start;
  cursor.position = 0;
  return { orReplace, name, columns, queryText: sql.slice(from, to) };
}

function reset(cursor: TokenCursor): undefined {
  cursor.position = 0;
  return undefined;
}

export async function createLateBindingView(client: pg.ClientBase, view: LateBindingView): Promise<void> {
  const probe = `redshift_emulator_probe_${process.pid}_${Date.now()}`;
  await client.query(`create temporary view ${quoteIdent(probe)} as ${view.query}`);
  const { rows } = await client.query<{ name: string; type: string }>(
    `select attname as name, format_type(atttypid, null) as type from pg_attribute
      where attrelid = $1::regclass and attnum > 0 and not attisdropped order by attnum`,
    [`pg_temp.${quoteIdent(probe)}`],
  );
  await client.query(`drop view pg_temp.${quoteIdent(probe)}`);
  const relation = quoteQualified(...view.name);
  const fn = `redshift_emulator.${quoteIdent(`late_binding_${createHash('md5').update(view.name.join('.')).digest('hex')}`)}`;
  const literal = `'${view.query.replaceAll("'", "''")}'`;
  if (view.orReplace) {
    // "You can only replace a view with a new query that generates the identical set of columns,
    // using the same column names and data types" (r_CREATE_VIEW, OR REPLACE).
    const { rows: existing } = await client.query<{ name: string; type: string }>(
      `select attname as name, format_type(atttypid, null) as type from pg_attribute
        where attrelid = to_regclass($1) and attnum > 0 and not attisdropped order by attnum`,
      [relation],
    );
    const columnsOf = (list: { name: string; type: string }[]) => list.map((row) => `${row.name} ${row.type}`).join(', ');
    const wanted = view.columns ? rows.map((row, index) => ({ name: view.columns![index] ?? row.name, type: row.type })) : rows;
    if (existing.length > 0 && columnsOf(existing) !== columnsOf(wanted)) {
      throw new Error(`cannot replace view ${view.name.join('.')}: its columns (${columnsOf(existing)}) would become (${columnsOf(wanted)})`);
    }
    await client.query(`drop view if exists ${relation}`);
  }
  await client.query(`drop function if exists ${fn}()`);
  await client.query(`create function ${fn}() returns table (${rows.map((row) => `${quoteIdent(row.name)} ${row.type}`).join(', ')})
    language plpgsql stable security definer
    as $late$ begin return query execute ${literal}; end $late$`);
  const columns = view.columns ? ` (${view.columns.map(quoteIdent).join(', ')})` : '';
  await client.query(`create view ${relation}${columns} as select * from ${fn}()`);
}
