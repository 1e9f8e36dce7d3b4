// `pgshift access` on a built shop project, the same on both warehouses: the four roles read
// what pgshift.yml declares and nothing leaks; then marketing is given the staging schema (and
// a run reconciles the grants), which is a leak of stg_customers' unmasked columns.

import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import type { CliResult } from './run-cli.js';

interface AccessJson {
  roles: { name: string; warehouse_role: string; pii: boolean; exists: boolean }[];
  relations: {
    relation: string;
    schema: string;
    built: boolean;
    pii_columns: { name: string; pii: string }[];
    access: Record<string, { read: boolean; declared: boolean; pii_columns: { name: string; pii: string }[] }>;
  }[];
  leaks: { role: string; relation: string; column: string; pii: string; declared: boolean; fix: string }[];
}

const MARKETING_READ = 'read: [marts, reports, reference]';

export async function expectShopAccessAndLeak(cli: (...args: string[]) => Promise<CliResult>, projectDir: string): Promise<void> {
  const json = await cli('access', '--output', 'json');
  expect(json.code, json.stderr).toBe(0);
  const report = JSON.parse(json.stdout) as AccessJson;
  expect(report.roles.map((role) => [role.name, role.pii, role.exists])).toEqual([
    ['loader', true, true],
    ['engineer', true, true],
    ['marketing', false, true],
    ['pii_admin', true, true],
  ]);
  const readers = (relation: string) => {
    const row = report.relations.find((item) => item.relation === relation);
    if (!row) throw new Error(`pgshift access lists no ${relation}`);
    return Object.entries(row.access)
      .filter(([, cell]) => cell.read)
      .map(([role]) => role);
  };
  expect(readers('raw.customers')).toEqual(['loader', 'engineer', 'pii_admin']);
  expect(readers('analytics_staging.stg_customers')).toEqual(['engineer', 'pii_admin']);
  expect(readers('analytics_marts.dim_customers')).toEqual(['engineer', 'marketing', 'pii_admin']);
  expect(readers('analytics_reports.daily_sales')).toEqual(['engineer', 'marketing', 'pii_admin']);
  expect(readers('pgshift_meta.batches')).toEqual(['loader', 'engineer']);
  const marketingSchemas = new Set(report.relations.filter((relation) => relation.access.marketing!.read).map((relation) => relation.schema));
  expect([...marketingSchemas].sort()).toEqual(['analytics_marts', 'analytics_reference', 'analytics_reports']);
  const stg = report.relations.find((relation) => relation.relation === 'analytics_staging.stg_customers')!;
  expect(stg.access.pii_admin!.pii_columns).toContainEqual({ name: 'email', pii: 'email' });
  expect(report.relations.filter((relation) => relation.pii_columns.length > 0).map((relation) => relation.relation)).toEqual([
    'analytics_staging.stg_customers',
    'raw.customers',
  ]);
  expect(report.relations.every((relation) => relation.built)).toBe(true);
  expect(report.leaks).toEqual([]);

  const text = await cli('access');
  expect(text.code, text.stderr).toBe(0);
  expect(text.stdout).toMatch(/^relation +kind +loader +engineer +marketing +pii_admin$/m);
  expect(text.stdout).toMatch(/^raw\.customers +table +read\+pii +read\+pii +- +read\+pii$/m);
  expect(text.stdout).toContain('no leaks');

  // Marketing is given the staging schema: the next run's grants open stg_customers to it.
  const yml = path.join(projectDir, 'pgshift.yml');
  const original = await readFile(yml, 'utf8');
  const leaky = original.replace(MARKETING_READ, 'read: [marts, reports, reference, staging]');
  expect(leaky).not.toBe(original);
  await writeFile(yml, leaky);
  try {
    const seed = await cli('seed');
    expect(seed.code, seed.stderr).toBe(0);
    const leak = await cli('access');
    expect(leak.code, leak.stderr).toBe(1);
    expect(leak.stdout).toMatch(
      /^LEAK role marketing \(\w+_marketing\) can read analytics_staging\.stg_customers\.email \(email\) unmasked: mask email in models\/staging\/stg_customers\.sql .*, or take analytics_staging out of governance\.roles\.marketing\.read, or give role marketing `pii: true` in pgshift\.yml/m,
    );
    const leaks = (JSON.parse((await cli('access', '--output', 'json')).stdout) as AccessJson).leaks;
    expect(new Set(leaks.map((item) => `${item.role} ${item.relation} ${item.declared}`))).toEqual(new Set(['marketing analytics_staging.stg_customers true']));
    expect(leaks.map((item) => `${item.column}:${item.pii}`)).toEqual(stg.pii_columns.map((column) => `${column.name}:${column.pii}`));
    // The dashboard's Access section shows the same leak.
    const page = await writeReportPage(cli, projectDir);
    expect(page).toContain('<h2>Access</h2>');
    expect(page).toMatch(/<tr><td>analytics_staging\.stg_customers<\/td><td>–<\/td><td>read \+ PII<\/td><td class="leak">LEAK<\/td><td>read \+ PII<\/td>/);
    expect(page).toContain('<strong>marketing</strong> can read <code>analytics_staging.stg_customers.email</code> (email) unmasked');
  } finally {
    await writeFile(yml, original);
  }
  const reconciled = await cli('seed');
  expect(reconciled.code, reconciled.stderr).toBe(0);
  const after = await cli('access');
  expect(after.code, after.stdout).toBe(0);
  const page = await writeReportPage(cli, projectDir);
  expect(page).toMatch(/<tr><td>raw\.customers<\/td><td>read \+ PII<\/td><td>read \+ PII<\/td><td>–<\/td><td>read \+ PII<\/td>/);
  expect(page).not.toContain('LEAK');
}

/** `pgshift report` for a day the shop's backfill covers, into a folder of its own. */
async function writeReportPage(cli: (...args: string[]) => Promise<CliResult>, projectDir: string): Promise<string> {
  const report = await cli('report', '--date', '2026-11-21', '--target-path', 'target/access-report');
  expect(report.code, report.stderr).toBe(0);
  const dir = path.join(projectDir, 'target', 'access-report', 'reports', '2026-11-21');
  expect(await readdir(dir)).toContain('index.html');
  return readFile(path.join(dir, 'index.html'), 'utf8');
}
