// target/manifest.json is dbt's manifest v12, so tools built on dbt's artefacts read it. The
// expectations below are the `required` lists and types of
// https://schemas.getdbt.com/dbt/manifest/v12.json (dbt-core schemas/dbt/manifest/v12.json), read
// from the schema and written out here; and the file, read back, is the manifest state: compares.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPreviousState } from '../../src/api/read-state.js';
import { writeCompileArtifacts } from '../../src/project-files/write-artifacts.js';
import { selectNodes } from '../../src/graph/index.js';
import { internalUniqueId } from '../../src/manifest/dbt-unique-id.js';
import type { Manifest } from '../../src/manifest/index.js';
import { DBT_MANIFEST_SCHEMA, toDbtManifest } from '../../src/project-files/dbt-manifest.js';
import { fromDbtManifest } from '../../src/project-files/read-dbt-manifest.js';
import { bareProject, compile, edit, fixtureFiles } from './compile-fixture.js';

const files = await fixtureFiles();
const manifest = compile(files);
type Json = Record<string, unknown>;
const written = (from: Manifest = manifest) =>
  JSON.parse(JSON.stringify(toDbtManifest(from, { database: 'analytics', invocationId: '9a0b6f1e-0000-4000-8000-000000000000' }))) as Json;
const file = written();
const nodes = Object.values(file.nodes as Record<string, Json>);
const ofType = (type: string) => nodes.filter((node) => node.resource_type === type);

// WritableManifest.required
const TOP_LEVEL = [
  'metadata',
  'nodes',
  'sources',
  'macros',
  'docs',
  'exposures',
  'metrics',
  'groups',
  'selectors',
  'disabled',
  'parent_map',
  'child_map',
  'group_map',
  'saved_queries',
  'semantic_models',
  'unit_tests',
];
// Seed.required and SingularTest.required (and HookNode, Model and GenericTest, which share their
// base in dbt-core): the same eleven keys.
const NODE = ['database', 'schema', 'name', 'resource_type', 'package_name', 'path', 'original_file_path', 'unique_id', 'fqn', 'alias', 'checksum'];
// SourceDefinition.required
const SOURCE = [
  'database',
  'schema',
  'name',
  'resource_type',
  'package_name',
  'path',
  'original_file_path',
  'unique_id',
  'fqn',
  'source_name',
  'source_description',
  'loader',
  'identifier',
];
// Macro.required
const MACRO = ['name', 'resource_type', 'package_name', 'path', 'original_file_path', 'unique_id', 'macro_sql'];
// ManifestMetadata has additionalProperties: false; these are its properties.
const METADATA = [
  'dbt_schema_version',
  'dbt_version',
  'generated_at',
  'invocation_id',
  'invocation_started_at',
  'env',
  'project_name',
  'project_id',
  'user_id',
  'send_anonymous_usage_stats',
  'adapter_type',
  'quoting',
];

function expectKeys(entry: Json, required: readonly string[]): void {
  for (const key of required) expect(entry, `${String(entry.unique_id)} lacks ${key}`).toHaveProperty(key);
}

function expectNodeTypes(node: Json): void {
  expect(typeof node.name).toBe('string');
  expect(Array.isArray(node.fqn)).toBe(true);
  expect(node.database === null || typeof node.database === 'string').toBe(true);
  expect(typeof node.alias).toBe('string');
  // FileHash: {name, checksum}, both strings.
  expect(node.checksum).toEqual({ name: expect.any(String), checksum: expect.any(String) });
  expect(Array.isArray(node.tags)).toBe(true);
  expect(typeof node.config).toBe('object');
}

describe('target/manifest.json (dbt manifest v12)', () => {
  it('has every top-level key v12 requires and no other', () => {
    expect(Object.keys(file).sort()).toEqual([...TOP_LEVEL].sort());
  });

  it('names its schema, the adapter and the project in metadata, with no key v12 does not know', () => {
    const metadata = file.metadata as Json;
    expect(metadata.dbt_schema_version).toBe(DBT_MANIFEST_SCHEMA);
    expect(metadata.adapter_type).toBe('postgres');
    expect(metadata.project_name).toBe(manifest.metadata.project_name);
    expect(metadata.invocation_id).toBe('9a0b6f1e-0000-4000-8000-000000000000');
    expect(metadata.project_id).toMatch(/^[0-9a-f]{32}$/);
    for (const key of Object.keys(metadata)) expect(METADATA).toContain(key);
  });

  it('writes models, seeds and tests with the keys v12 requires for each, in the target database', () => {
    for (const type of ['model', 'seed', 'test']) {
      expect(ofType(type).length, type).toBeGreaterThan(0);
      for (const node of ofType(type)) {
        expectKeys(node, NODE);
        expectNodeTypes(node);
        expect(node.database).toBe('analytics');
      }
    }
    const model = ofType('model')[0]!;
    expect(typeof model.compiled_code).toBe('string');
    expect(typeof model.relation_name === 'string' || model.relation_name === null).toBe(true);
    // A seed's depends_on is MacroDependsOn: macros only (additionalProperties: false).
    for (const seed of ofType('seed')) expect(Object.keys(seed.depends_on as Json)).toEqual(['macros']);
  });

  it('names a source source.<project>.<source>.<table>, with the keys v12 requires', () => {
    const sources = Object.entries(file.sources as Record<string, Json>);
    expect(sources.length).toBeGreaterThan(0);
    for (const [id, source] of sources) {
      expectKeys(source, SOURCE);
      expect(id).toBe(`source.${manifest.metadata.project_name}.${source.source_name}.${source.identifier}`);
      expect(source.unique_id).toBe(id);
      expect(source.name).toBe(source.identifier);
    }
  });

  it('names a generic test test.<project>.<name>.<10-hex hash>, a singular test test.<project>.<name>', () => {
    const generic = ofType('test').filter((test) => test.test_metadata);
    const singular = ofType('test').filter((test) => !test.test_metadata);
    expect(generic.length).toBeGreaterThan(0);
    expect(singular.length).toBeGreaterThan(0);
    for (const test of generic) expect(test.unique_id).toMatch(new RegExp(`^test\\.${manifest.metadata.project_name}\\.${test.name}\\.[0-9a-f]{10}$`));
    for (const test of singular) expect(test.unique_id).toBe(`test.${manifest.metadata.project_name}.${test.name}`);
    // parent_map and depends_on use the same ids.
    const ids = new Set([...Object.keys(file.nodes as Json), ...Object.keys(file.sources as Json)]);
    for (const [id, parents] of Object.entries(file.parent_map as Record<string, string[]>)) {
      expect(ids.has(id), id).toBe(true);
      for (const parent of parents) expect(ids.has(parent), parent).toBe(true);
    }
  });

  it('writes macros with their SQL, and keeps pgshift-only fields under meta.pgshift', () => {
    for (const macro of Object.values(file.macros as Record<string, Json>)) {
      expectKeys(macro, MACRO);
      expect(macro.macro_sql).toMatch(/^\{%-?\s*(macro|test) /);
    }
    const source = Object.values(file.sources as Record<string, Json>)[0]!;
    expect((source.meta as Json).pgshift).toMatchObject({ table_id: expect.any(String), deletes: expect.any(Object) });
    expect(source).not.toHaveProperty('table_id');
  });

  it('maps an id back only when pgshift renamed it', () => {
    expect(internalUniqueId('source.shop_analytics.shop.orders')).toBe('source.shop.orders');
    expect(internalUniqueId('model.shop_analytics.stg_orders')).toBe('model.shop_analytics.stg_orders');
    // A name that merely ends in ten hex digits is not a hash of the rest.
    expect(internalUniqueId('test.shop_analytics.assert_x.0123456789')).toBe('test.shop_analytics.assert_x.0123456789');
  });
});

describe('snapshots and unit tests in target/manifest.json', async () => {
  const files = await bareProject(
    {
      'models/stg_orders.sql': "select order_id, amount from {{ source('shop', 'orders') }}",
      'models/revenue.sql': "select sum(amount) as revenue from {{ ref('stg_orders') }}",
    },
    {
      schemaFiles: {
        'models/unit_tests.yml': `unit_tests:
  - name: adds_up
    model: revenue
    given:
      - input: ref('stg_orders')
        rows: [{order_id: 1, amount: 2}, {order_id: 2, amount: 3}]
    expect:
      rows: [{revenue: 5}]
`,
      },
    },
  );
  const withSnapshot = {
    ...files,
    snapshots: [
      {
        path: 'snapshots/orders_snapshot.sql',
        text: "{% snapshot orders_snapshot %}\n{{ config(target_schema='snapshots', unique_key='order_id', strategy='check', check_cols='all') }}\nselect * from {{ source('shop', 'orders') }}\n{% endsnapshot %}\n",
      },
    ],
  };
  const compiled = compile(withSnapshot);
  const out = written(compiled);

  it('writes a snapshot with the keys v12 requires (Snapshot.required adds config)', () => {
    const snapshot = (out.nodes as Record<string, Json>)['snapshot.shop.orders_snapshot']!;
    expectKeys(snapshot, [...NODE, 'config']);
    expectNodeTypes(snapshot);
    expect(snapshot).toMatchObject({ resource_type: 'snapshot', schema: 'snapshots', relation_name: '"snapshots"."orders_snapshot"' });
  });

  it('writes a unit test under unit_tests, not nodes, with the keys UnitTestDefinition requires', () => {
    const id = 'unit_test.shop.revenue.adds_up';
    expect(out.nodes).not.toHaveProperty(id);
    const unitTest = (out.unit_tests as Record<string, Json>)[id]!;
    // UnitTestDefinition.required; its checksum is a string, and it has no tags of its own.
    expectKeys(unitTest, ['model', 'given', 'expect', 'name', 'resource_type', 'package_name', 'path', 'original_file_path', 'unique_id', 'fqn']);
    expect(typeof unitTest.checksum).toBe('string');
    expect(unitTest).not.toHaveProperty('tags');
    expect(unitTest.given).toEqual([
      {
        input: "ref('stg_orders')",
        format: 'dict',
        rows: [
          { order_id: 1, amount: 2 },
          { order_id: 2, amount: 3 },
        ],
      },
    ]);
    expect(unitTest.expect).toEqual({ format: 'dict', rows: [{ revenue: 5 }] });
  });

  it('reads both back as the nodes they were', () => {
    const back = fromDbtManifest(out, compiled.metadata.target);
    expect(back.nodes['snapshot.shop.orders_snapshot']).toEqual(JSON.parse(JSON.stringify(compiled.nodes['snapshot.shop.orders_snapshot'])));
    expect(back.nodes['unit_test.shop.revenue.adds_up']).toEqual(JSON.parse(JSON.stringify(compiled.nodes['unit_test.shop.revenue.adds_up'])));
  });
});

describe('what dbt YAML adds, through target/manifest.json and back', async () => {
  const files = await bareProject(
    { 'models/accounts.sql': "select id from {{ source('crm', 'accounts') }}" },
    {
      schemaFiles: {
        'models/schema.yml': `sources:
  - name: crm
    database: sales
    loader: fivetran
    tables:
      - name: accounts
        identifier: crm_accounts
      - name: legacy
        config: { enabled: false }
models:
  - name: accounts
    columns:
      - name: id
        data_tests: [{ unique: { config: { store_failures: true } } }, not_null]
exposures:
  - name: board
    type: dashboard
    owner: { name: Sales }
    depends_on: ["ref('accounts')", "source('crm', 'accounts')"]
`,
      },
    },
  );
  const compiled = compile(files);
  const file = written(compiled);
  const back = fromDbtManifest(file, compiled.metadata.target);

  it("writes a package's run hooks as operation nodes of that package, and reads them back", () => {
    const run_hooks = {
      on_run_start: ['select 1'],
      on_run_end: [],
      packages: [{ name: 'audit', file: 'dbt_packages/audit/dbt_project.yml', on_run_start: ['select 2'], on_run_end: ['select 3', 'select 4'] }],
    };
    const out = written({ ...compiled, run_hooks });
    expect((out.nodes as Record<string, Json>)['operation.audit.audit-on-run-end-1']).toMatchObject({
      package_name: 'audit',
      original_file_path: 'dbt_packages/audit/dbt_project.yml',
      raw_code: 'select 4',
    });
    expect(fromDbtManifest(out, compiled.metadata.target).run_hooks).toEqual(run_hooks);
  });

  it('names a disabled source as dbt does, and reads it back under the id pgshift uses', () => {
    expect(Object.keys(file.disabled as Json)).toContain('source.shop.crm.legacy');
    expect(back.disabled['source.crm.legacy']).toMatchObject({ unique_id: 'source.crm.legacy', resource_type: 'source' });
  });

  it('keeps a source only the YAML declares, a test that stores its failures, and an exposure as compiled', () => {
    expect(back.sources['source.crm.accounts']).toEqual(JSON.parse(JSON.stringify(compiled.sources['source.crm.accounts'])));
    for (const [id, node] of Object.entries(compiled.nodes)) expect(back.nodes[id], id).toEqual(JSON.parse(JSON.stringify(node)));
    expect(back.exposures?.['exposure.shop.board']?.depends_on?.nodes).toEqual(['model.shop.accounts', 'source.crm.accounts']);
  });
});

describe('state: against a manifest.json read back', () => {
  const previous = fromDbtManifest(written(), manifest.metadata.target);
  const select = (select: string[], from: Manifest) => selectNodes(from, { select, state: previous }).selected;

  it('gives back every node and source under the id pgshift uses', () => {
    expect(Object.keys(previous.nodes).sort()).toEqual(Object.keys(manifest.nodes).sort());
    expect(Object.keys(previous.sources).sort()).toEqual(Object.keys(manifest.sources).sort());
    expect(previous.parent_map).toEqual(manifest.parent_map);
  });

  it('finds nothing modified in the project it was written from', () => {
    expect(select(['state:modified'], manifest)).toEqual([]);
  });

  it('finds the model whose file changed, and the one that is new', () => {
    const fctOrders = files.models.find((entry) => entry.path.endsWith('fct_orders.sql'))!;
    const changed = compile(
      edit(files, { models: { [fctOrders.path]: `${fctOrders.text}-- a comment changes the checksum\n`, 'models/reports/new_report.sql': 'select 1 as one' } }),
    );
    expect(
      selectNodes(changed, { select: ['state:modified'], state: previous, resourceTypes: ['model'] })
        .selected.map((id) => id.split('.').pop())
        .sort(),
    ).toEqual(['fct_orders', 'new_report']);
  });

  it('finds the models that call a changed macro', () => {
    const money = files.macros.find((entry) => entry.path === 'macros/money.sql')!;
    const remacroed = compile(
      edit(files, { macros: { [money.path]: money.text.replace('round(cast({{ amount }} as numeric), 2)', 'round({{ amount }}, 2)') } }),
    );
    expect(
      selectNodes(remacroed, { select: ['state:modified.macros'], state: previous, resourceTypes: ['model'] })
        .selected.map((id) => id.split('.').pop())
        .sort(),
    ).toEqual(['daily_sales', 'fct_orders']);
  });
});

describe('--state <dir> holding a manifest.json pgshift compile wrote', () => {
  it('reads it back, and an unchanged project is unmodified against it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pgshift-state-'));
    try {
      await writeCompileArtifacts(manifest, dir);
      const { state } = await readPreviousState(dir, dir);
      expect(selectNodes(manifest, { select: ['state:modified'], state }).selected).toEqual([]);
      expect(selectNodes(manifest, { select: ['state:unmodified'], state, resourceTypes: ['source'] }).selected.sort()).toEqual(
        Object.keys(manifest.sources).sort(),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
