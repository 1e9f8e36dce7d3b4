// Opens the generated report in headless Chromium, as a marketer would open the file: it must
// render every chart without errors, fetch nothing, and show hostile product names as text.
// The screenshots land in target/test-artifacts/ for a person to look at.

import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPostgresConn } from '../../src/connections.js';
import { writeReport } from '../../src/report/index.js';
import { PostgresWarehouse } from '../../src/warehouse/postgres-warehouse.js';
import { HOSTILE_PRODUCT, loadReportFixture, reportFixture } from '../support/report-fixture.js';
import { createTestDatabase, type TestDatabase } from '../support/test-env.js';

const CHROMIUM = '/usr/bin/chromium';
const DATE = '2026-11-23';
const ARTIFACTS = path.resolve('target', 'test-artifacts');
const REPORT_DIR = path.join(ARTIFACTS, 'report');

// CI installs Chromium (.ci/run), so there a missing browser is a failure, not a skip.
const chromiumMissing = !existsSync(CHROMIUM) && process.env.CI !== 'true';
if (chromiumMissing) console.warn(`report browser test skipped: ${CHROMIUM} is missing (apt-get install chromium)`);

describe.skipIf(chromiumMissing)('the report page in a browser', () => {
  let database: TestDatabase;
  let browser: Browser;
  let page: Page;
  let pageUrl: string;
  const requests: string[] = [];
  const problems: string[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('report_browser');
    await loadReportFixture(database.url, 'analytics_reports', reportFixture(DATE));
    const warehouse = new PostgresWarehouse(getPostgresConn({ connectionString: database.url }), () => {
      throw new Error('the report reads no staging files');
    });
    try {
      await rm(REPORT_DIR, { recursive: true, force: true });
      await writeReport({ warehouse, schema: 'analytics_reports', date: DATE, outDir: REPORT_DIR });
    } finally {
      await warehouse.close();
    }
    pageUrl = pathToFileURL(path.join(REPORT_DIR, 'index.html')).href;

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
  });

  afterAll(async () => {
    await browser?.close();
    await database?.drop();
  });

  it('loads without console errors or page errors', () => {
    expect(problems).toEqual([]);
  });

  it('requests nothing but the file itself', () => {
    expect(requests).toEqual([pageUrl]);
  });

  it('draws the revenue trend with a point per day and the moving average', async () => {
    const chart = page.locator('svg[data-chart="revenue-trend"]');
    await expect(chart.locator('title').first().textContent()).resolves.toBe('Revenue, last 30 days');
    const d = await chart.locator('path.series-revenue').getAttribute('d');
    expect(d!.match(/[ML]/g)!.length).toBeGreaterThanOrEqual(30);
    expect(await chart.locator('circle.dot').count()).toBeGreaterThanOrEqual(30);
    expect(await chart.locator('path.series-average').getAttribute('d')).toMatch(/^M/);
    const box = await chart.boundingBox();
    expect(box!.width).toBeGreaterThan(600);
    expect(box!.height).toBeGreaterThan(150);
  });

  it('draws ten product bars, a lifetime value histogram and the cohort heat map', async () => {
    expect(await page.locator('svg[data-chart="top-products"] rect.bar').count()).toBeGreaterThanOrEqual(10);
    const histogramBars = page.locator('svg[data-chart="ltv-histogram"] rect.bar');
    expect(await histogramBars.count()).toBeGreaterThan(0);
    const heights = await histogramBars.evaluateAll((bars) => bars.map((bar) => Number(bar.getAttribute('height'))));
    expect(Math.max(...heights)).toBeGreaterThan(0);
    expect(await page.locator('svg[data-chart="cohort-retention"] g.cell rect').count()).toBeGreaterThan(0);
  });

  it('gives every chart an accessible name and description', async () => {
    const charts = await page.locator('svg.chart').evaluateAll((svgs) =>
      svgs.map((svg) => ({
        role: svg.getAttribute('role'),
        labelled: (svg.getAttribute('aria-labelledby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent ?? ''),
      })),
    );
    expect(charts).toHaveLength(4);
    for (const chart of charts) {
      expect(chart.role).toBe('img');
      expect(chart.labelled.every((text) => text.length > 0)).toBe(true);
    }
  });

  it('shows the hostile product name as text and never runs it', async () => {
    const label = page.locator('svg[data-chart="top-products"] text.bar-label', { hasText: HOSTILE_PRODUCT });
    await expect(label.count()).resolves.toBe(1);
    expect(await page.locator('script').count()).toBe(0);
    expect(dialogs).toEqual([]);
  });

  it('shows the five KPIs, each with two comparisons', async () => {
    const cards = page.locator('article.kpi');
    expect(await cards.evaluateAll((all) => all.map((card) => card.getAttribute('data-kpi')))).toEqual([
      'revenue',
      'orders',
      'units',
      'average_order_value',
      'new_customers',
    ]);
    expect(await page.locator('article.kpi li[data-compare]').count()).toBe(10);
  });

  it('saves screenshots for a person to review (desktop and phone width)', async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, 'report.png');
    await page.screenshot({ path: file, fullPage: true });
    expect(existsSync(file)).toBe(true);
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await phone.goto(pageUrl);
      // The page itself never scrolls sideways; only wide charts scroll inside their card.
      const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await phone.screenshot({ path: path.join(ARTIFACTS, 'report-phone.png'), fullPage: true });
    } finally {
      await phone.close();
    }
  });
});
