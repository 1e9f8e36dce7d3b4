// `pgshift ls` selects from target/selection-cache.json when the compilation's inputs are
// unchanged, and compiles again when any of them changed: a model, a macro, schema.yml,
// pgshift.yml, --vars, --target, or an environment variable a template reads.

import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileToTarget } from '../../src/api/compile-stage.js';
import { listNodes } from '../../src/api/list-nodes.js';
import type { GraphOptions } from '../../src/api/graph-options.js';
import type { ResourceType } from '../../src/manifest/index.js';
import { registerSecret } from '../../src/log/redact.js';
import { selectionCachePath } from '../../src/project-files/selection-cache.js';

const PROJECT = (folderTags: string) => `name: cachetest
sources:
  app:
    tables:
      orders: { primary_key: id, cursor: updated_at }
staging: { bucket: test }
targets:
  dev: { type: postgres }
  other: { type: postgres, schema: elsewhere }
vars:
  flavour: plain
models:
  marts: { +tags: [${folderTags}] }
`;

describe('the selection cache of pgshift ls', () => {
  let dir: string;
  const ENV_NAME = 'PGSHIFT_SELECTION_CACHE_TEST_TAG';

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'pgshift-ls-cache-'));
    await mkdir(path.join(dir, 'models', 'staging'), { recursive: true });
    await mkdir(path.join(dir, 'models', 'marts'), { recursive: true });
    await mkdir(path.join(dir, 'macros'), { recursive: true });
    await writeFile(path.join(dir, 'pgshift.yml'), PROJECT('mart'));
    await writeFile(path.join(dir, 'macros', 'tagging.sql'), '{% macro team_tag() %}finance{% endmacro %}\n');
    await writeFile(path.join(dir, 'models', 'staging', 'stg_orders.sql'), "select * from {{ source('app', 'orders') }}\n");
    await writeFile(
      path.join(dir, 'models', 'marts', 'orders.sql'),
      `{{ config(tags=[var('flavour'), env_var('${ENV_NAME}', 'unset'), (team_tag() ~ '') | trim]) }}\nselect * from {{ ref('stg_orders') }}\n`,
    );
    await writeFile(
      path.join(dir, 'models', 'marts', 'schema.yml'),
      'version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: id\n        data_tests: [unique]\n',
    );
    delete process.env[ENV_NAME];
  });

  afterEach(async () => {
    delete process.env[ENV_NAME];
    await rm(dir, { recursive: true, force: true });
  });

  const options = (select: string[], extra: Partial<GraphOptions> = {}): GraphOptions => ({ select, exclude: [], date: '2026-11-23', ...extra });
  // Models only: a tag selects the tests of the tagged model too.
  const names = async (select: string[], extra: Partial<GraphOptions> = {}, resourceType: ResourceType = 'model'): Promise<string[]> =>
    (await listNodes({ projectDir: dir }, { ...options(select, extra), resourceType: [resourceType] })).map((node) => node.unique_id);
  // A compilation stores a new file (renamed into place); a selection from the cache stores none.
  const cacheIdentity = async (): Promise<string> => {
    const info = await stat(selectionCachePath(path.join(dir, 'target')));
    return `${info.ino}:${info.mtimeMs}`;
  };

  it('selects from what compile stored, with the same answer a compilation gives', async () => {
    await compileToTarget({ projectDir: dir }, options([]));
    const stored = await cacheIdentity();
    const cached = await listNodes({ projectDir: dir }, options(['+orders']));
    expect(await cacheIdentity()).toBe(stored);
    expect(cached.map((node) => node.unique_id)).toEqual([
      'source.app.orders',
      'model.cachetest.stg_orders',
      'model.cachetest.orders',
      'test.cachetest.unique_orders_id',
    ]);
    expect(cached.slice(1, 3).map((node) => node.fqn.join('.'))).toEqual(['cachetest.staging.stg_orders', 'cachetest.marts.orders']);
    expect(cached[2]?.depends_on.nodes).toEqual(['model.cachetest.stg_orders']);
    expect(await names(['tag:finance'])).toEqual(['model.cachetest.orders']);
    expect((await names(['test_name:unique'], {}, 'test')).length).toBe(1);
    expect(await cacheIdentity()).toBe(stored);

    await rm(selectionCachePath(path.join(dir, 'target')));
    const compiled = await listNodes({ projectDir: dir }, options(['+orders']));
    expect(compiled.map((node) => node.unique_id)).toEqual(cached.map((node) => node.unique_id));
  });

  it('compiles again when a model, a macro, schema.yml or pgshift.yml changed', async () => {
    await compileToTarget({ projectDir: dir }, options([]));
    expect(await names(['tag:finance'])).toEqual(['model.cachetest.orders']);

    await writeFile(path.join(dir, 'macros', 'tagging.sql'), '{% macro team_tag() %}sales{% endmacro %}\n');
    expect(await names(['tag:finance'])).toEqual([]);
    expect(await names(['tag:sales'])).toEqual(['model.cachetest.orders']);

    await writeFile(path.join(dir, 'models', 'staging', 'stg_orders.sql'), "{{ config(tags=['raw']) }}\nselect * from {{ source('app', 'orders') }}\n");
    expect(await names(['tag:raw'])).toEqual(['model.cachetest.stg_orders']);

    await writeFile(
      path.join(dir, 'models', 'marts', 'schema.yml'),
      'version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: id\n        data_tests: [not_null]\n',
    );
    expect(await names(['test_name:unique'], {}, 'test')).toEqual([]);
    expect((await names(['test_name:not_null'], {}, 'test')).length).toBe(1);

    await writeFile(path.join(dir, 'pgshift.yml'), PROJECT('gold'));
    expect(await names(['tag:mart'])).toEqual([]);
    expect(await names(['tag:gold'])).toEqual(['model.cachetest.orders']);

    await writeFile(path.join(dir, 'models', 'marts', 'extra.sql'), "select * from {{ ref('orders') }}\n");
    expect(await names(['orders+'])).toEqual(['model.cachetest.stg_orders', 'model.cachetest.orders', 'model.cachetest.extra']);
  });

  it('compiles again for other --vars, another --target or a changed environment variable a template reads', async () => {
    await compileToTarget({ projectDir: dir }, options([]));
    expect(await names(['tag:plain'])).toEqual(['model.cachetest.orders']);
    expect(await names(['tag:spicy'], { vars: { flavour: 'spicy' } })).toEqual(['model.cachetest.orders']);
    expect(await names(['tag:plain'])).toEqual(['model.cachetest.orders']);

    expect(await names(['tag:unset'])).toEqual(['model.cachetest.orders']);
    process.env[ENV_NAME] = 'from_env';
    expect(await names(['tag:unset'])).toEqual([]);
    expect(await names(['tag:from_env'])).toEqual(['model.cachetest.orders']);
    process.env[ENV_NAME] = 'changed';
    expect(await names(['tag:changed'])).toEqual(['model.cachetest.orders']);

    // Another target compiles for its own schema; the selection must come from that compilation.
    const other = await listNodes({ projectDir: dir, target: 'other' }, options(['orders']));
    const stored = await cacheIdentity();
    expect(other.map((node) => node.unique_id)).toEqual(['source.app.orders', 'model.cachetest.orders', 'test.cachetest.unique_orders_id']);
    await listNodes({ projectDir: dir, target: 'other' }, options(['orders']));
    expect(await cacheIdentity()).toBe(stored);
    await listNodes({ projectDir: dir }, options(['orders']));
    expect(await cacheIdentity()).not.toBe(stored);
  });

  it('stores no trace of a secret a template reads, not even a digest of its value', async () => {
    const secretName = 'PGSHIFT_SELECTION_CACHE_TEST_SECRET';
    process.env[secretName] = 'first-secret-value';
    registerSecret(process.env[secretName]);
    await writeFile(path.join(dir, 'models', 'staging', 'stg_orders.sql'), `select '{{ env_var('${secretName}') }}' as k from {{ source('app', 'orders') }}\n`);
    try {
      await compileToTarget({ projectDir: dir }, options([]));
      const stored = await cacheIdentity();
      expect(await readFile(selectionCachePath(path.join(dir, 'target')), 'utf8')).not.toContain('first-secret-value');
      // Another value of the secret is not another compilation for ls: only whether it is set counts.
      process.env[secretName] = 'second-secret-value';
      registerSecret(process.env[secretName]);
      expect(await names(['stg_orders'])).toEqual(['model.cachetest.stg_orders']);
      expect(await cacheIdentity()).toBe(stored);
      delete process.env[secretName];
      await expect(names(['stg_orders'])).rejects.toThrow(secretName);
    } finally {
      delete process.env[secretName];
    }
  });

  it('compiles again when the stored file is cut short or foreign', async () => {
    await compileToTarget({ projectDir: dir }, options([]));
    await writeFile(selectionCachePath(path.join(dir, 'target')), '{"format": 3, "inpu');
    expect(await names(['tag:finance'])).toEqual(['model.cachetest.orders']);
    await writeFile(selectionCachePath(path.join(dir, 'target')), '[]');
    expect(await names(['tag:finance'])).toEqual(['model.cachetest.orders']);
  });
});
