// source_deleted_at(): a model treats hard deletes (tombstones, `deletes: detect`) and soft
// deletes (`soft_delete: <column>`) alike, through one expression that follows pgshift.yml.

import { describe, expect, it } from 'vitest';
import { parseProject } from '../../src/config/load-project.js';
import { ConfigError } from '../../src/errors.js';
import { scratchNames } from '../../src/load/delete-detection.js';
import { bareProject, compile, compiledSql } from './compile-fixture.js';

const yml = (orders: string) => `name: shop
sources:
  shop:
    tables:
      orders: { primary_key: order_id, cursor: updated_at${orders} }
staging: { bucket: b }
targets:
  dev: { type: postgres }
`;
const render = async (orders: string, call = "source_deleted_at('shop', 'orders', 'o')") => {
  const files = await bareProject(
    { 'models/m.sql': `select {{ ${call} }} as deleted_at from {{ source('shop', 'orders') }} as o` },
    { pgshiftYml: yml(orders) },
  );
  return compiledSql(compile(files), 'm');
};

describe('source_deleted_at()', () => {
  it('reads the tombstone column of a table that detects deletes', async () => {
    expect(await render(', deletes: detect')).toContain('select "o"."_pgshift_deleted_at" as deleted_at');
  });

  it('reads the soft-delete column the table names', async () => {
    expect(await render(', soft_delete: removed_at')).toContain('select "o"."removed_at" as deleted_at');
  });

  it('takes whichever is set when a table has both', async () => {
    expect(await render(', deletes: detect, soft_delete: removed_at')).toContain('coalesce("o"."removed_at", "o"."_pgshift_deleted_at") as deleted_at');
  });

  it('is NULL for a table that marks no deletes, so models need not change when it starts to', async () => {
    expect(await render('')).toContain('select cast(null as timestamp with time zone) as deleted_at');
  });

  it('works without an alias', async () => {
    expect(await render(', deletes: detect', "source_deleted_at('shop', 'orders')")).toContain('select "_pgshift_deleted_at" as deleted_at');
  });

  it('names the table it does not know', async () => {
    await expect(render('', "source_deleted_at('shop', 'order')")).rejects.toThrow(
      /source_deleted_at\('shop', 'order'\): pgshift.yml lists no such table.*shop\.orders/,
    );
  });

  it('is recorded on the source node of the manifest', async () => {
    const files = await bareProject(
      { 'models/m.sql': "select 1 from {{ source('shop', 'orders') }}" },
      { pgshiftYml: yml(', deletes: detect, soft_delete: removed_at') },
    );
    expect(compile(files).sources['source.shop.orders']!.deletes).toEqual({ hard: true, soft_column: 'removed_at' });
  });
});

describe('deletes in pgshift.yml', () => {
  const project = (table: string) => () =>
    parseProject(`name: p\nsources: { s: { tables: { t: ${table} } } }\nstaging: { bucket: b }\ntargets: { dev: { type: postgres } }\n`, 'pgshift.yml');

  it('refuses deletes: detect on a full-mode table, which replaces itself anyway', () => {
    expect(project('{ primary_key: id, mode: full, deletes: detect }')).toThrow(ConfigError);
    expect(project('{ primary_key: id, mode: full, deletes: detect }')).toThrow(/sources\.s\.tables\.t\.deletes is for incremental tables/);
  });

  it('takes max_delete_ratio between 0 and 1, 10% by default', () => {
    expect(project('{ primary_key: id, cursor: u, deletes: detect, max_delete_ratio: 1.5 }')).toThrow(/max_delete_ratio/);
    expect(
      parseProject(
        `name: p\nsources: { s: { tables: { t: { primary_key: id, cursor: u, deletes: detect } } } }\nstaging: { bucket: b }\ntargets: { dev: { type: postgres } }\n`,
        'pgshift.yml',
      ).tables[0],
    ).toMatchObject({
      deletes: 'detect',
      maxDeleteRatio: 0.1,
    });
  });
});

describe('scratch table names of delete detection', () => {
  it("keeps a long table name within PostgreSQL's 63 bytes, each scratch table its own name", () => {
    const long = 'a_table_name_that_is_long_enough_to_hit_the_limit_x';
    const names = scratchNames(long, 'postgres');
    for (const name of Object.values(names)) expect(Buffer.byteLength(name)).toBeLessThanOrEqual(63);
    expect(new Set(Object.values(names)).size).toBe(3);
    expect(names.keys).toMatch(/_[0-9a-f]{8}__pgshift_keys$/);
    expect(scratchNames('orders', 'postgres')).toEqual({ keys: 'orders__pgshift_keys', state: 'orders__pgshift_state', gone: 'orders__pgshift_gone' });
    expect(scratchNames(long, 'redshift').keys).toBe(`${long}__pgshift_keys`);
  });
});
