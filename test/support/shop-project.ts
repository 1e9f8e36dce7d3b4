// The repository's own shop project (pgshift.yml, models/, macros/, seeds/) copied to a
// temporary folder, so a test can point its staging bucket at a bucket of its own and keep
// target/ out of the checkout.

import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { quoteIdent } from '../../src/sql/quote-ident.js';

const PROJECT_PARTS = ['pgshift.yml', 'models', 'macros', 'seeds'] as const;

export interface ShopProjectOptions {
  /** false: leave out pgshift.yml's `governance:` block, so runs reconcile no grants. Default true. */
  readonly governance?: boolean;
  /**
   * Prefix of the managed role names. Roles are cluster-wide in PostgreSQL, so each copy gets a
   * prefix of its own and test files never race on the same roles; drop them with dropRoles().
   */
  readonly rolePrefix?: string;
}

export async function copyShopProject(bucket: string, options: ShopProjectOptions = {}): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pgshift-shop-project-'));
  for (const part of PROJECT_PARTS) await cp(path.resolve(part), path.join(dir, part), { recursive: true });
  const file = path.join(dir, 'pgshift.yml');
  const text = await readFile(file, 'utf8');
  let replaced = text.replace(/^(\s+bucket:\s*)pgshift-staging\s*$/m, `$1${bucket}`);
  if (replaced === text) throw new Error('copyShopProject: pgshift.yml has no `bucket: pgshift-staging` line to point at the test bucket');
  // A top-level key runs until the next line that starts in column 0 with something other than a comment.
  if (options.governance === false) replaced = replaced.replace(/^governance:.*\n(?:(?:[ \t].*|#.*|)\n)*/m, '');
  else replaced = replaced.replace(/^governance:\n/m, `governance:\n  role_prefix: ${options.rolePrefix ?? uniqueRolePrefix()}\n`);
  await writeFile(file, replaced);
  return dir;
}

export function uniqueRolePrefix(): string {
  return `t${randomBytes(3).toString('hex')}_`;
}

/** Drops the cluster-wide roles a test's project created (its databases dropped first). */
export async function dropRoles(adminUrl: string, prefix: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ rolname: string }>('select rolname from pg_roles where starts_with(rolname, $1)', [prefix]);
    for (const { rolname } of rows) await client.query(`drop role if exists ${quoteIdent(rolname)}`);
  } finally {
    await client.end();
  }
}

/**
 * Shims that give the test PostgreSQL the Redshift semantics of the functions the PII macros
 * compile to on Redshift (as AWS documents them): SHA2(text, 256) is the hex SHA-256 of the
 * UTF-8 bytes, and REGEXP_REPLACE(source, pattern, replacement) replaces every match. Put the
 * schema before pg_catalog on the search_path to run Redshift-compiled SQL against them.
 */
export const REDSHIFT_SHIMS_SQL = `
create schema if not exists redshift_shim;
create or replace function redshift_shim.sha2(value text, bits integer) returns text
  language sql immutable strict
  as $$ select case when bits = 256 then encode(pg_catalog.sha256(convert_to(value, 'UTF8')), 'hex') end $$;
create or replace function redshift_shim.regexp_replace(source text, pattern text, replacement text) returns text
  language sql immutable strict
  as $$ select pg_catalog.regexp_replace(source, pattern, replacement, 'g') $$;
`;
