// Opens the documentation site `pgshift docs generate` wrote in headless Chromium, as a dbt user
// opens it: the lineage graph is drawn, a click on a node shows its docs, the search box finds
// a model, and the page logs no error and fetches nothing beyond itself.

import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDocsProject, createDocsProject, type DocsProject } from '../support/docs-project.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.resolve('target', 'test-artifacts');

// CI installs Chromium (.ci/run), so there a missing browser is a failure, not a skip.
const chromiumMissing = !existsSync(CHROMIUM) && process.env.CI !== 'true';
if (chromiumMissing) console.warn(`docs browser test skipped: ${CHROMIUM} is missing (apt-get install chromium)`);

describe.skipIf(chromiumMissing)('the documentation site in a browser', () => {
  let project: DocsProject;
  let browser: Browser;
  let page: Page;
  let pageUrl: string;
  const requests: string[] = [];
  const problems: string[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    project = await createDocsProject('docs_browser');
    await buildDocsProject(project);
    const generated = await project.cli(['docs', 'generate']);
    if (generated.code !== 0) throw new Error(`docs generate failed: ${generated.stderr}`);
    pageUrl = pathToFileURL(path.join(project.projectDir, 'target', 'index.html')).href;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('request', (request) => requests.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(pageUrl, { waitUntil: 'load' });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await project?.close();
  });

  it('draws the lineage graph: source and seed, the models, then the exposure, joined by edges', async () => {
    const nodes = page.locator('#lineage .graph-node');
    expect(await nodes.evaluateAll((all) => all.map((node) => `${node.getAttribute('data-kind')} ${node.getAttribute('data-name')}`))).toEqual([
      'source shop.orders',
      'seed status_labels',
      'model stg_orders',
      'model customer_orders',
      'exposure weekly_review',
    ]);
    const edges = await page
      .locator('#lineage path.edge')
      .evaluateAll((all) => all.map((edge) => `${edge.getAttribute('data-from')} → ${edge.getAttribute('data-to')}`));
    expect(edges.sort()).toEqual([
      'model.docs_browser.customer_orders → exposure.docs_browser.weekly_review',
      'model.docs_browser.stg_orders → model.docs_browser.customer_orders',
      'seed.docs_browser.status_labels → model.docs_browser.customer_orders',
      'source.shop.orders → model.docs_browser.stg_orders',
    ]);
    const box = await page.locator('#lineage').boundingBox();
    expect(box!.width).toBeGreaterThan(600);
  });

  it("shows a model's docs when its node is clicked: description, columns with types, tests, PII and compiled SQL", async () => {
    await page.locator('#lineage .graph-node[data-name="customer_orders"]').click();
    const doc = page.locator('article.node-doc:visible');
    expect(await doc.count()).toBe(1);
    await expect(doc.locator('h2').textContent()).resolves.toBe('customer_orders');
    await expect(doc.locator('.description').textContent()).resolves.toBe('One row per customer: how many orders they placed and when the last one was.');
    const email = doc.locator('tr[data-column="customer_email"]');
    await expect(email.locator('td').nth(1).textContent()).resolves.toBe('text');
    await expect(email.locator('.test').allTextContents()).resolves.toEqual(['unique']);
    await expect(email.locator('.pii').textContent()).resolves.toBe('email');
    await expect(doc.locator('tr[data-column="orders"] td').nth(1).textContent()).resolves.toBe('bigint');
    await expect(doc.locator('pre code').textContent()).resolves.toContain('from "analytics"."stg_orders"');
    expect(await page.locator('#lineage .graph-node.selected').getAttribute('data-name')).toBe('customer_orders');
  });

  it("shows a description's markup as text and never runs it", async () => {
    const cell = page.locator('article.node-doc:visible tr[data-column="orders"] td.column-description');
    await expect(cell.textContent()).resolves.toBe('Orders <b>placed</b>, all time.');
    expect(await cell.locator('b').count()).toBe(0);
    expect(dialogs).toEqual([]);
  });

  it("shows each column's tests on the staging model, the docs block's text included", async () => {
    await page.locator('#lineage .graph-node[data-name="stg_orders"]').click();
    const doc = page.locator('article.node-doc:visible');
    await expect(doc.locator('tr[data-column="order_id"] .test').allTextContents()).resolves.toEqual(['not_null', 'unique']);
    await expect(doc.locator('tr[data-column="status"] .test').allTextContents()).resolves.toEqual(['accepted_values: placed, shipped, returned']);
    await expect(doc.locator('tr[data-column="status"] td.column-description').textContent()).resolves.toBe('Where the order is: placed, shipped or returned.');
  });

  it('finds a model by part of its name and shows it from the results', async () => {
    await page.locator('#search').fill('cust');
    const results = page.locator('#search-results button');
    await expect(results.allTextContents()).resolves.toEqual(['customer_orders model']);
    await results.first().click();
    await expect(page.locator('article.node-doc:visible h2').textContent()).resolves.toBe('customer_orders');
    await page.locator('#search').fill('no_such_model');
    await expect(page.locator('#search-results .no-match').count()).resolves.toBe(1);
  });

  it('shows the exposure, reached from the model it uses', async () => {
    await page.locator('#lineage .graph-node[data-name="customer_orders"]').click();
    await page.locator('article.node-doc:visible a', { hasText: 'weekly_review' }).click();
    const doc = page.locator('article.node-doc:visible');
    await expect(doc.locator('h2').textContent()).resolves.toBe('weekly_review');
    await expect(doc.locator('.description').textContent()).resolves.toBe('The dashboard of the Monday meeting.');
  });

  it('logged no console error and requested nothing but the file itself', async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'docs-site.png'), fullPage: true });
    expect(problems).toEqual([]);
    expect(requests).toEqual([pageUrl]);
  });
});
