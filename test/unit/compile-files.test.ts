// Reading a project (the only file I/O of compilation), seeds' headers, folder config trees
// and writing target/: the edges around the pure compiler.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ModelNode } from '../../src/manifest/index.js';
import { fromDbtManifest } from '../../src/project-files/read-dbt-manifest.js';
import { writeCompileArtifacts } from '../../src/project-files/write-artifacts.js';
import { parseCsvHeader } from '../../src/util/seed-csv.js';
import { folderLayers, parseFolderConfig } from '../../src/compile/folder-config.js';
import { compile, fixtureFiles, nodeNamed } from './compile-fixture.js';

const files = await fixtureFiles();

describe('loadProjectFiles()', () => {
  it('reads models, macros, schema files, seeds, tests and selectors with project-relative paths', () => {
    expect(files.models.map((file) => file.path)).toContain('models/marts/core/fct_orders.sql');
    expect(files.macros.map((file) => file.path)).toEqual(expect.arrayContaining(['macros/money.sql', 'macros/tests/positive.sql']));
    expect(files.schemaFiles.map((file) => file.path)).toEqual([
      'models/marts/schema.yml',
      'models/staging/schema.yml',
      'models/staging/sources.yml',
      'seeds/schema.yml',
    ]);
    expect(files.singularTests.map((file) => file.path)).toEqual(['tests/assert_no_negative_order_totals.sql']);
    expect(files.selectors?.path).toBe('selectors.yml');
  });

  it('reads tests/generic/*.sql as macros (custom generic tests), not as singular tests', () => {
    expect(files.macros.map((file) => file.path)).toContain('tests/generic/at_least_one.sql');
    expect(compile(files).macros['macro.shop.test_at_least_one']).toMatchObject({ original_file_path: 'tests/generic/at_least_one.sql' });
  });

  it('keeps only the header line of seeds, and their checksum', () => {
    expect(files.seeds).toEqual([{ path: 'seeds/country_codes.csv', headerLine: 'code,name', checksum: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
  });
});

describe('parseCsvHeader()', () => {
  it('splits on the delimiter and unquotes', () => {
    expect(parseCsvHeader('id,"full name","say ""hi""", x,"a,b"')).toEqual(['id', 'full name', 'say "hi"', 'x', 'a,b']);
    expect(parseCsvHeader('a;b', ';')).toEqual(['a', 'b']);
  });
});

describe('folder config', () => {
  const tree = parseFolderConfig(
    {
      shop: { '+tags': ['all'] },
      staging: { '+materialized': 'view', 'post-hook': 'select 1', orders: { '+alias': 'orders_v' } },
      marts: { materialized: 'table', meta: { owner: 'bi' } },
    },
    'model',
    'models',
    'shop',
    'pgshift.yml',
  );

  it('accepts keys with or without +, and the project name as the root', () => {
    expect(folderLayers(tree, ['staging', 'orders', 'stg_orders'])).toEqual([
      { tags: ['all'] },
      { materialized: 'view', post_hook: 'select 1' },
      { alias: 'orders_v' },
    ]);
  });

  it('treats mapping-valued config keys (meta) as config, not folders', () => {
    expect(folderLayers(tree, ['marts', 'fct'])).toEqual([{ tags: ['all'] }, { materialized: 'table', meta: { owner: 'bi' } }]);
  });

  it('warns about folder paths that match nothing', async () => {
    const yaml = (await readFile(path.join(path.dirname(files.project.file), 'pgshift.yml'), 'utf8')).replace('  reports:\n', '  report:\n');
    const { edit } = await import('./compile-fixture.js');
    expect(compile(edit(files, { pgshiftYml: yaml })).warnings).toEqual(['pgshift.yml: models.report matches no folder or file; check the spelling']);
  });
});

describe('writeCompileArtifacts()', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('writes compiled SQL under compiled/ and the manifest', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pgshift-target-'));
    dirs.push(dir);
    const manifest = compile(files);
    const result = await writeCompileArtifacts(manifest, dir);
    const fct = nodeNamed(manifest, 'fct_orders') as ModelNode;
    expect(await readFile(path.join(dir, 'compiled', 'marts', 'core', 'fct_orders.sql'), 'utf8')).toBe(
      fct.compiled_code.endsWith('\n') ? fct.compiled_code : `${fct.compiled_code}\n`,
    );
    expect(await readFile(path.join(dir, 'compiled', 'staging', 'schema.yml', 'unique_stg_orders_order_id.sql'), 'utf8')).toContain('having count(*) > 1');
    expect(await readFile(path.join(dir, 'compiled', 'tests', 'assert_no_negative_order_totals.sql'), 'utf8')).toContain('order_total < 0');
    // dbt's v12 shape (test/unit/dbt-manifest.test.ts), which reads back into the same nodes.
    const written = JSON.parse(await readFile(result.manifestPath, 'utf8'));
    expect(written.metadata.dbt_schema_version).toBe('https://schemas.getdbt.com/dbt/manifest/v12.json');
    const readBack = fromDbtManifest(written, manifest.metadata.target);
    expect(readBack.nodes).toEqual(JSON.parse(JSON.stringify(manifest.nodes)));
    expect(readBack.sources).toEqual(JSON.parse(JSON.stringify(manifest.sources)));
    expect(readBack.macros).toEqual(manifest.macros);
    expect(result.compiledFiles).toBe(Object.values(manifest.nodes).filter((node) => node.resource_type !== 'seed').length);
  });
});
