// The repository's own shop project (pgshift.yml, models/, macros/, seeds/) copied to a
// temporary folder, so a test can point its staging bucket at a bucket of its own and keep
// target/ out of the checkout.

import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { dropRolesWithPrefix } from '../../src/local/local-postgres.js';
import { createShopSchema, generateShopData } from '../../src/local/shop-data.js';
import { createTestBucket, createTestDatabase, testPostgresUrl, testS3Endpoint, type TestBucket, type TestDatabase } from './test-env.js';
import { testPool } from './test-pool.js';

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
export const dropRoles = dropRolesWithPrefix;

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

/** What a shop-project test needs: generated source data, a warehouse, a bucket, a project copy. */
export interface ShopFixture {
  readonly source: TestDatabase;
  readonly warehouse: TestDatabase;
  readonly bucket: TestBucket;
  readonly projectDir: string;
  readonly rolePrefix: string;
  /** Pools on the source and the warehouse database. */
  readonly src: pg.Pool;
  readonly db: pg.Pool;
  /** The environment every CLI call of the test passes (source, S3, PII key, credentials). */
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

export async function createShopFixture(name: string, piiKey: string): Promise<ShopFixture> {
  const rolePrefix = uniqueRolePrefix();
  const source = await createTestDatabase(`${name}_src`);
  const warehouse = await createTestDatabase(`${name}_wh`);
  const bucket = await createTestBucket(name.replaceAll('_', '-'));
  const projectDir = await copyShopProject(bucket.bucket, { rolePrefix });
  const src = testPool({ connectionString: source.url, max: 2 });
  const db = testPool({ connectionString: warehouse.url, max: 2 });
  await createShopSchema(src);
  await generateShopData(src, { scale: 3000, seed: 7, endDate: '2026-11-22' });
  return {
    source,
    warehouse,
    bucket,
    projectDir,
    rolePrefix,
    src,
    db,
    env: {
      PGSHIFT_SOURCE_URL: source.url,
      PGSHIFT_S3_ENDPOINT: testS3Endpoint(),
      PGSHIFT_PII_KEY: piiKey,
      // The local S3 server's own key pair; the Data API emulator accepts any.
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_REGION: 'us-east-1',
    },
    close: async () => {
      await src.end();
      await db.end();
      await source.drop();
      await warehouse.drop();
      await bucket.drop();
      await dropRoles(testPostgresUrl(), rolePrefix);
      await rm(projectDir, { recursive: true, force: true });
    },
  };
}
