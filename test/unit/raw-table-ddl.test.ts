import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BatchDocument } from '../../src/batch/batch-manifest.js';
import type { SourceColumn } from '../../src/extract/source-introspection.js';
import { createRawTableSql, driftStatements, rawColumnsFor } from '../../src/load/raw-table-ddl.js';

const column = (name: string, type: string, extra: Partial<SourceColumn> = {}): SourceColumn => ({
  name,
  type,
  udt: type,
  kind: 'base',
  category: 'N',
  nullable: true,
  builtin: true,
  ...extra,
});

const batch = {
  source: 'shop',
  table: 'orders',
  columns: [
    column('id', 'bigint'),
    column('amount', 'numeric(12,2)'),
    column('ratio', 'numeric'),
    column('status', 'character varying(20)', { category: 'S' }),
    column('note', 'text', { category: 'S' }),
    column('code', 'character(5)', { category: 'S' }),
    column('ref', 'uuid', { category: 'U' }),
    column('payload', 'jsonb', { category: 'U' }),
    column('tags', 'text[]', { category: 'A', baseType: 'text' }),
    column('blob', 'bytea', { category: 'U' }),
    column('took', 'interval', { category: 'T' }),
    column('mood', 'mood', { kind: 'enum', category: 'E', builtin: false }),
    column('email', 'email_address', { kind: 'domain', category: 'S', baseType: 'text', builtin: false }),
    column('area', 'geometry', { category: 'U', builtin: false }),
    column('updated_at', 'timestamp with time zone', { category: 'D' }),
  ],
  metadata_columns: { batch_id: '_pgshift_batch_id', extracted_at: '_pgshift_extracted_at' },
} as unknown as BatchDocument;

async function golden(name: string, actual: string): Promise<void> {
  const file = path.resolve('test', 'goldens', name);
  if (process.env.UPDATE_GOLDENS === '1') {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, actual);
  }
  expect(actual).toBe(await readFile(file, 'utf8'));
}

describe('raw tables', () => {
  it('maps source types to Redshift with a sort key on the cursor (golden)', async () => {
    const plan = rawColumnsFor(batch, 'redshift');
    await golden('redshift/raw-table-orders.sql', `${createRawTableSql('raw', 'orders', plan.columns, 'redshift', 'updated_at')}\n`);
  });

  it('sizes Redshift text columns from the longest value the extract measured, rounded up to a fixed width', () => {
    const sized = rawColumnsFor({ ...batch, text_bytes: { note: 0, payload: 300, tags: 70000 } }, 'redshift').columns;
    const typeOf = (name: string) => sized.find((c) => c.name === name)?.type;
    expect(typeOf('note')).toBe('character varying(32)');
    expect(typeOf('payload')).toBe('character varying(1024)');
    expect(typeOf('tags')).toBe('character varying(65535)');
    // Only the PostgreSQL warehouse keeps native text.
    expect(rawColumnsFor({ ...batch, text_bytes: { note: 0 } }, 'postgres').columns.find((c) => c.name === 'note')?.type).toBe('text');
  });

  it('keeps native types on the PostgreSQL warehouse (golden)', async () => {
    const plan = rawColumnsFor(batch, 'postgres');
    await golden('postgres/raw-table-orders.sql', `${createRawTableSql('raw', 'orders', plan.columns, 'postgres')}\n`);
  });

  it('names every lossy Redshift mapping in a warning', () => {
    const { warnings } = rawColumnsFor(batch, 'redshift');
    expect(warnings.map((warning) => warning.split(':')[0])).toEqual([
      'shop.orders.ratio',
      'shop.orders.note',
      'shop.orders.payload',
      'shop.orders.tags',
      'shop.orders.blob',
      'shop.orders.took',
      'shop.orders.email',
      'shop.orders.area',
    ]);
    expect(rawColumnsFor(batch, 'postgres').warnings).toEqual([
      'shop.orders.area: type geometry does not ship with PostgreSQL; the warehouse stores its text form',
    ]);
  });

  it('adds new columns and widens varchars, leaving dropped columns in place', () => {
    const wanted = [
      { name: 'id', type: 'bigint' },
      { name: 'status', type: 'character varying(80)' },
      { name: 'channel', type: 'character varying(1024)' },
    ];
    const existing = [
      { name: 'id', type: 'bigint' },
      { name: 'status', type: 'character varying(40)' },
      { name: 'gone', type: 'text' },
    ];
    expect(driftStatements('raw', 'orders', 'shop.orders', wanted, existing)).toEqual([
      'alter table "raw"."orders" alter column "status" type character varying(80)',
      'alter table "raw"."orders" add column "channel" character varying(1024)',
    ]);
  });

  it('re-encodes a column Redshift cannot widen in its current encoding first', () => {
    const existing = [{ name: 's', type: 'character varying(10)', storage: { encoding: 'text255', distKey: false, sortKey: 0 } }];
    expect(driftStatements('raw', 'o', 'shop.o', [{ name: 's', type: 'character varying(40)' }], existing)).toEqual([
      'alter table "raw"."o" alter column "s" encode zstd',
      'alter table "raw"."o" alter column "s" type character varying(40)',
    ]);
  });

  it('keeps a wider column when the source narrows it', () => {
    expect(driftStatements('raw', 'o', 'shop.o', [{ name: 's', type: 'character varying(10)' }], [{ name: 's', type: 'character varying(40)' }])).toEqual([]);
  });
});
