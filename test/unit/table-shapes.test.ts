// Table shapes real source databases have: keyless append tables, views, and names with
// spaces, capitals or dots, from pgshift.yml through selection and the extract plan.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { intervalFromFlags } from '../../src/batch/interval.js';
import { parseProject } from '../../src/config/load-project.js';
import { planExtract } from '../../src/extract/extract-plan.js';
import type { SourceTableShape } from '../../src/extract/source-introspection.js';
import { selectTables } from '../../src/extract/select-tables.js';
import { selectNodes } from '../../src/graph/index.js';
import { compile, edit, FIXTURE_DIR, fixtureFiles } from './compile-fixture.js';

const base = `
name: shop
staging: { bucket: b }
targets: { dev: { type: postgres } }
`;
const withTables = (tables: string) => `${base}sources:\n  app:\n    tables:\n${tables}`;
const day = intervalFromFlags({ date: '2026-11-23' });

describe('a table without a primary key', () => {
  it('is declared as mode append with a cursor, and keeps an empty key', () => {
    const project = parseProject(withTables('      events: { mode: append, cursor: created_at }\n'), 'pgshift.yml');
    // No lookback by default: a re-read row has no key to replace it, so it would be in two batches.
    expect(project.tables[0]).toMatchObject({ id: 'app.events', mode: 'append', cursor: 'created_at', primaryKey: [], lookbackMs: 0 });
    const withLookback = parseProject(withTables('      events: { mode: append, cursor: created_at, lookback: 2h }\n'), 'pgshift.yml');
    expect(withLookback.tables[0]?.lookbackMs).toBe(2 * 3600_000);
    const incremental = parseProject(withTables('      orders: { primary_key: id, cursor: updated_at }\n'), 'pgshift.yml');
    expect(incremental.tables[0]?.lookbackMs).toBe(3600_000);
    // The parsed table keeps the key order a plain default gave it, so source checksums do not move.
    expect(Object.keys(incremental.raw.sources.app!.tables.orders!)).toEqual([
      'primary_key',
      'mode',
      'cursor',
      'lookback',
      'pii',
      'deletes',
      'max_delete_ratio',
    ]);
    expect(project.raw.sources.app!.tables.events!.lookback).toBe('0s');
  });

  it('left out of an incremental or full table, names the key and the two choices', () => {
    const message =
      'pgshift.yml: sources.app.tables.orders.primary_key is required: declare the primary_key column(s), or set mode: append for a table without a key (append-only, never deduplicated)';
    expect(() => parseProject(withTables('      orders: { cursor: updated_at }\n'), 'pgshift.yml')).toThrow(message);
    expect(() => parseProject(withTables('      orders: { mode: full }\n'), 'pgshift.yml')).toThrow(message);
  });

  it('refuses a primary_key, deletes: detect, or a missing cursor in mode append', () => {
    expect(() => parseProject(withTables('      events: { mode: append, cursor: created_at, primary_key: id }\n'), 'pgshift.yml')).toThrow(
      'pgshift.yml: sources.app.tables.events.primary_key must not be set when mode is append',
    );
    expect(() => parseProject(withTables('      events: { mode: append, cursor: created_at, deletes: detect }\n'), 'pgshift.yml')).toThrow(
      'pgshift.yml: sources.app.tables.events.deletes needs a primary key to compare; a mode append table has none',
    );
    expect(() => parseProject(withTables('      events: { mode: append }\n'), 'pgshift.yml')).toThrow(
      'sources.app.tables.events.cursor is required unless mode is full',
    );
  });

  it('plans a cursor window like an incremental table, with no key checks and no key warning', () => {
    const table = parseProject(withTables('      events: { mode: append, cursor: created_at }\n'), 'pgshift.yml').tables[0]!;
    const plan = planExtract(table, shape({ primaryKey: ['id'] }), day, '2026-11-23', new Date('2026-11-24T00:00:00Z'));
    expect(plan.window).toBeDefined();
    expect(plan.copySql).toContain('"created_at" >= ');
    expect(plan.warnings).toEqual([]);
  });

  it('reaches the manifest as a source node without a primary key', async () => {
    const files = await fixtureFiles();
    const yml = (await readFile(path.join(FIXTURE_DIR, 'pgshift.yml'), 'utf8')).replace(
      '      products:\n',
      '      events:\n        mode: append\n        cursor: created_at\n      products:\n',
    );
    const manifest = compile(edit(files, { pgshiftYml: yml }));
    expect(manifest.sources['source.shop.events']?.primary_key).toBeNull();
    expect(manifest.sources['source.shop.orders']?.primary_key).toEqual(['order_id']);
  });
});

describe('a view as a source', () => {
  const table = (yaml: string) => parseProject(withTables(`      recent_orders: ${yaml}\n`), 'pgshift.yml').tables[0]!;

  it('with a cursor warns that the cursor is only as good as the view, without an index hint or key warning', () => {
    const plan = planExtract(table('{ primary_key: id, cursor: updated_at }'), shape({ relkind: 'v' }), day, '2026-11-23', new Date());
    expect(plan.warnings).toEqual([
      `app.recent_orders: "public"."recent_orders" is a view; its cursor 'updated_at' is only as good as the view's definition (rows whose cursor does not move when they change are missed), so prefer mode: full or a cursor taken straight from one underlying table`,
    ]);
  });

  it('in mode full plans without any warning', () => {
    expect(planExtract(table('{ primary_key: id, mode: full }'), shape({ relkind: 'v' }), day, '2026-11-23', new Date()).warnings).toEqual([]);
  });
});

describe('names with spaces, capitals and dots', () => {
  const project = parseProject(
    withTables(`      Order Lines: { primary_key: id, cursor: updated_at }
      Order: { primary_key: id, cursor: updated_at }
      order.v2: { primary_key: id, mode: full }
      Lines: { primary_key: id, mode: full }
`),
    'pgshift.yml',
  );
  const ids = (select: string[]) => selectTables(project.tables, select).map((table) => table.id);

  it('extract/load select exactly the table a whole --select value names', () => {
    expect(ids(['app.Order Lines'])).toEqual(['app.Order Lines']);
    expect(ids(['source:app.Order Lines'])).toEqual(['app.Order Lines']);
    expect(ids(['app.order.v2'])).toEqual(['app.order.v2']);
  });

  it('extract/load take double-quoted names inside a longer value', () => {
    expect(ids(['app."Order Lines" app.Order'])).toEqual(['app.Order Lines', 'app.Order']);
    expect(ids(['source:app."order.v2"'])).toEqual(['app.order.v2']);
    expect(ids(['"Lines"'])).toEqual(['app.Lines']);
    // A quoted part is literal: its * is a character of the name, not a wildcard.
    expect(() => ids(['app."Order*"'])).toThrow('--select app."Order*": no source table matches');
  });

  it('run selects exactly that source node, by whole value or quoted', async () => {
    const files = await fixtureFiles();
    const yml = (await readFile(path.join(FIXTURE_DIR, 'pgshift.yml'), 'utf8')).replace(
      '      products:\n',
      '      Order Lines:\n        primary_key: id\n        cursor: updated_at\n      Order:\n        primary_key: id\n        cursor: updated_at\n      products:\n',
    );
    const manifest = compile(edit(files, { pgshiftYml: yml }));
    const selected = (select: string[]) => selectNodes(manifest, { select }).selected;
    expect(selected(['shop.Order Lines'])).toEqual(['source.shop.Order Lines']);
    expect(selected(['source:shop.Order Lines'])).toEqual(['source.shop.Order Lines']);
    expect(selected(['source:shop."Order Lines"'])).toEqual(['source.shop.Order Lines']);
    expect(selected(['shop."Order Lines"'])).toEqual(['source.shop.Order Lines']);
    expect(selected(['source:shop."Order Lines" source:shop.Order']).sort()).toEqual(['source.shop.Order', 'source.shop.Order Lines']);
    expect(selected(['source:shop."Order*"'])).toEqual([]);
    expect(selectNodes(manifest, { select: ['source:shop.Order*'], exclude: ['shop.Order Lines'] }).selected).toEqual(['source.shop.Order']);
  });

  it('the unindexed-cursor hint prints SQL one can run, with quoted identifiers', () => {
    const table = parseProject(
      `${base}sources:\n  app:\n    schema: My Schema\n    tables:\n      Order Lines: { primary_key: id, cursor: Placed At }\n`,
      'pgshift.yml',
    ).tables[0]!;
    const columns = [column('id', 'integer', 'int4'), column('Placed At', 'timestamp with time zone', 'timestamptz')];
    const plan = planExtract(table, shape({ schema: 'My Schema', name: 'Order Lines', columns, indexed: [] }), day, '2026-11-23', new Date());
    expect(plan.warnings).toEqual([
      `app.Order Lines: cursor column 'Placed At' leads no index, so every extract scans the whole table; consider create index on "My Schema"."Order Lines" ("Placed At")`,
    ]);
  });
});

function column(name: string, type: string, udt: string) {
  return { name, type, udt, kind: 'base', category: udt === 'timestamptz' ? 'D' : 'N', nullable: true, builtin: true };
}

function shape(options: Partial<SourceTableShape> & { indexed?: string[] } = {}): SourceTableShape {
  return {
    schema: 'public',
    name: 'recent_orders',
    columns: [
      column('id', 'integer', 'int4'),
      column('updated_at', 'timestamp with time zone', 'timestamptz'),
      column('created_at', 'timestamp with time zone', 'timestamptz'),
    ],
    primaryKey: [],
    relkind: 'r',
    ...options,
    indexedLeadingColumns: new Set(options.indexed ?? ['updated_at', 'created_at']),
  };
}
