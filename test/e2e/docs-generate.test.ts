// `pgshift docs generate` on a built project, run as a user runs it: the catalog holds the
// warehouse's columns, types and row counts of every relation the manifest names, the manifest
// holds the docs blocks' text, and the site is one self-contained file.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/docs-site/index.js';
import type { Manifest } from '../../src/manifest/index.js';
import { buildDocsProject, createDocsProject, type DocsProject } from '../support/docs-project.js';
import { startCli, type CliResult } from '../support/run-cli.js';
import { waitFor } from '../support/wait-for.js';

describe('pgshift docs generate', () => {
  let project: DocsProject;
  let generated: CliResult;
  let catalog: Catalog;
  let manifest: Manifest;
  const target = (file: string) => path.join(project.projectDir, 'target', file);

  beforeAll(async () => {
    project = await createDocsProject('docs_generate');
    await buildDocsProject(project);
    generated = await project.cli(['docs', 'generate']);
    catalog = JSON.parse(await readFile(target('catalog.json'), 'utf8')) as Catalog;
    manifest = JSON.parse(await readFile(target('manifest.json'), 'utf8')) as Manifest;
  }, 120_000);

  afterAll(async () => {
    await project?.close();
  });

  it('succeeds and says where the site is', () => {
    expect(generated.code).toBe(0);
    expect(generated.stderr).toContain('wrote the documentation site with 4 relation(s) in the catalog');
    expect(generated.stderr).toContain(target('index.html'));
  });

  it("writes dbt's catalog v1: the models and the seed under nodes, the source under sources", () => {
    expect(catalog.metadata.dbt_schema_version).toBe('https://schemas.getdbt.com/dbt/catalog/v1.json');
    expect(Object.keys(catalog.nodes).sort()).toEqual([
      'model.docs_generate.customer_orders',
      'model.docs_generate.stg_orders',
      'seed.docs_generate.status_labels',
    ]);
    expect(Object.keys(catalog.sources)).toEqual(['source.docs_generate.shop.orders']);
    expect(catalog.errors).toBeNull();
  });

  it("gives each relation its kind, schema and the warehouse's columns in order, with types", () => {
    const table = catalog.nodes['model.docs_generate.customer_orders']!;
    expect(table.unique_id).toBe('model.docs_generate.customer_orders');
    expect(table.metadata).toMatchObject({ type: 'BASE TABLE', schema: 'analytics', name: 'customer_orders' });
    expect(Object.values(table.columns)).toEqual([
      { name: 'customer_email', type: 'text', index: 1, comment: null },
      { name: 'orders', type: 'bigint', index: 2, comment: null },
      { name: 'last_order_at', type: 'timestamp with time zone', index: 3, comment: null },
      { name: 'last_status_label', type: 'text', index: 4, comment: null },
    ]);
    expect(catalog.nodes['model.docs_generate.stg_orders']!.metadata.type).toBe('VIEW');
    expect(catalog.sources['source.docs_generate.shop.orders']!.metadata).toMatchObject({ type: 'BASE TABLE', schema: 'raw', name: 'orders' });
  });

  it('counts the rows of tables, and has no stats for a view', () => {
    expect(catalog.sources['source.docs_generate.shop.orders']!.stats.row_count).toMatchObject({ value: 40, include: true });
    expect(catalog.nodes['model.docs_generate.customer_orders']!.stats.row_count!.value).toBe(7);
    expect(catalog.nodes['seed.docs_generate.status_labels']!.stats.row_count!.value).toBe(3);
    const view = catalog.nodes['model.docs_generate.stg_orders']!.stats;
    expect(view.has_stats!.value).toBe(false);
    expect(view.row_count).toBeUndefined();
  });

  it("puts the docs blocks' text into the manifest's descriptions", () => {
    const model = manifest.nodes['model.docs_generate.customer_orders']!;
    expect(model.description).toBe('One row per customer: how many orders they placed and when the last one was.');
    expect(manifest.sources['source.docs_generate.shop.orders']!.columns.status!.description).toBe('Where the order is: placed, shipped or returned.');
  });

  it('writes a site that loads nothing from elsewhere: no src, no href to another host', async () => {
    const page = await readFile(target('index.html'), 'utf8');
    expect(page).toContain('<script>');
    expect(page).not.toMatch(/\b(src|href)="(https?:)?\/\//);
    expect(page).toMatch(/Content-Security-Policy" content="default-src &#39;none&#39;/);
  });

  it('serves target/ on localhost with docs serve, nothing outside it, until Ctrl-C', async () => {
    const server = startCli(['docs', 'serve', '--port', '0'], project.env);
    let stdout = '';
    server.child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    try {
      const url = await waitFor(
        async () => /Serving the documentation site at (http:\/\/localhost:\d+\/)/.exec(stdout)?.[1],
        server.exited,
        'the URL printed by docs serve',
      );
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await page.text()).toContain('customer_orders');
      const served = (await (await fetch(`${url}catalog.json`)).json()) as Catalog;
      expect(Object.keys(served.sources)).toEqual(['source.docs_generate.shop.orders']);
      expect((await fetch(`${url}..%2fpgshift.yml`)).status).toBe(403);
      expect((await fetch(`${url}missing.html`)).status).toBe(404);
    } finally {
      server.child.kill('SIGINT');
    }
    expect((await server.exited).code).toBe(0);
  });

  it('with --empty-catalog asks the warehouse nothing and lists no relation', async () => {
    const result = await project.cli(['docs', 'generate', '--empty-catalog', '--no-compile']);
    expect(result.code).toBe(0);
    const empty = JSON.parse(await readFile(target('catalog.json'), 'utf8')) as Catalog;
    expect(empty.nodes).toEqual({});
    expect(empty.sources).toEqual({});
  });

  it('with --no-compile and no manifest says to compile first', async () => {
    const result = await project.cli(['docs', 'generate', '--no-compile', '--target-path', 'elsewhere']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      `error: --no-compile: ${path.join(project.projectDir, 'elsewhere', 'manifest.json')} does not exist; run pgshift compile first, or drop --no-compile`,
    );
  });
});
