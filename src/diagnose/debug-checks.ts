// The checks of `pgshift debug`: can this machine, with this configuration, reach every source,
// the staging bucket and the warehouse, and does the warehouse identity hold what pgshift needs?
// Each check touches only scratch names of its own and removes what it wrote.

import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { DeleteObjectsCommand, GetBucketLocationCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import type { Project } from '../config/project.js';
import type { Target } from '../config/target.js';
import { batchLocation, s3Url } from '../batch/batch-layout.js';
import { redshiftManifest } from '../batch/batch-manifest.js';
import { quoteIdent } from '../sql/quote-ident.js';
import { copyFromManifestSql } from '../warehouse/redshift-copy-sql.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import type { Check, CheckOutcome } from './checks.js';

export interface DebugContext {
  readonly project: Project;
  /** Throws a ConfigError naming what is missing (an environment variable, a key). */
  resolveTarget(): Target;
  s3(): S3Client;
  /** The connection string of a source's environment variable, or undefined when unset. */
  sourceUrl(connectionEnv: string): string | undefined;
  openWarehouse(target: Target): Promise<Warehouse>;
}

const PAGES = {
  config: 'README.md#configuration',
  s3: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-iam-policies.html',
  dataApi: 'https://docs.aws.amazon.com/redshift/latest/mgmt/data-api-access.html',
  privileges: 'https://docs.aws.amazon.com/redshift/latest/dg/r_GRANT.html',
  copyRole: 'https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-authorization.html',
  region: 'https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-source-s3.html#copy-region',
} as const;

const pass = (detail: string): CheckOutcome => ({ status: 'pass', detail });
const fail = (detail: string, docs?: string): CheckOutcome => ({ status: 'fail', detail, docs });
const skip = (detail: string): CheckOutcome => ({ status: 'skip', detail });

/** The checks in the order a newcomer would fix them: configuration, sources, S3, warehouse. */
export function debugChecks(context: DebugContext): { checks: Check[]; close(): Promise<void> } {
  const { project } = context;
  let target: Target | undefined;
  let warehouse: Promise<Warehouse> | undefined;
  const openedWarehouse = (): Promise<Warehouse> => (warehouse ??= context.openWarehouse(target!));
  const needsTarget = (run: (target: Target) => Promise<CheckOutcome>) => async (): Promise<CheckOutcome> =>
    target ? run(target) : skip('the target did not resolve');

  const checks: Check[] = [
    {
      name: 'configuration',
      run: async () => pass(`${project.file}: ${project.tables.length} table(s) in ${new Set(project.tables.map((table) => table.source)).size} source(s)`),
    },
    {
      name: 'target',
      run: async () => {
        target = context.resolveTarget();
        const where =
          target.type === 'postgres'
            ? 'PostgreSQL'
            : target.workgroupName
              ? `Redshift Serverless workgroup ${target.workgroupName}`
              : `Redshift cluster ${target.clusterIdentifier}`;
        return pass(`${target.name}: ${where}, schema ${target.schema}`);
      },
    },
    ...sourceChecks(context),
    { name: 'staging bucket', run: () => stagingWritable(context) },
    {
      name: 'warehouse connection',
      run: needsTarget(async () => {
        const [row] = await (await openedWarehouse()).query<{ user_name: string; database_name: string }>(
          'select current_user as user_name, current_database() as database_name',
        );
        return pass(`connected as ${row?.user_name} to database ${row?.database_name}`);
      }),
    },
    {
      name: 'warehouse privileges',
      run: needsTarget(async (resolved) => privileges(await openedWarehouse(), [project.rawSchema, resolved.schema, 'pgshift_meta'])),
    },
    { name: 'COPY from staging', run: needsTarget(async (resolved) => copyProbe(context, resolved, openedWarehouse)) },
    { name: 'region', run: needsTarget(async (resolved) => regionAgreement(context, resolved)) },
  ];
  return {
    checks,
    // Closes the warehouse connection the checks opened, if they opened one.
    close: async () => {
      await (await warehouse?.catch(() => undefined))?.close();
    },
  };
}

function sourceChecks(context: DebugContext): Check[] {
  const connections = [...new Map(context.project.tables.map((table) => [table.connectionEnv, table.source])).entries()];
  return connections.map(([connectionEnv, source]) => ({
    name: `source ${source}`,
    async run(signal) {
      const url = context.sourceUrl(connectionEnv);
      if (!url) return fail(`environment variable ${connectionEnv} is not set; set it to the source database's postgres:// URL`, PAGES.config);
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000, application_name: 'pgshift debug' });
      signal.addEventListener('abort', () => void client.end().catch(() => {}), { once: true });
      client.on('error', () => {});
      try {
        await client.connect();
        const { rows } = await client.query<{ user_name: string; version: string }>(
          "select current_user as user_name, current_setting('server_version') as version",
        );
        return pass(`PostgreSQL ${rows[0]?.version} as ${rows[0]?.user_name} (${connectionEnv})`);
      } finally {
        await client.end().catch(() => {});
      }
    },
  }));
}

function scratchPrefix(project: Project): string {
  const prefix = project.staging.prefix.replace(/\/+$/, '');
  return `${prefix ? `${prefix}/` : ''}_pgshift_debug/${randomBytes(6).toString('hex')}`;
}

async function stagingWritable(context: DebugContext): Promise<CheckOutcome> {
  const { bucket } = context.project.staging;
  const key = `${scratchPrefix(context.project)}/probe.txt`;
  const s3 = context.s3();
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'pgshift debug probe\n' }));
  await deleteKeys(s3, bucket, [key]);
  return pass(`s3://${bucket}/${context.project.staging.prefix} is writable (a probe object was written and removed)`);
}

async function deleteKeys(s3: S3Client, bucket: string, keys: readonly string[]): Promise<void> {
  const { Errors } = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }));
  if (Errors && Errors.length > 0) throw new Error(`could not remove s3://${bucket}/${Errors[0]?.Key}: ${Errors[0]?.Message}`);
}

/**
 * What pgshift creates: its raw, target and pgshift_meta schemas (or the right to create them).
 * HAS_SCHEMA_PRIVILEGE and HAS_DATABASE_PRIVILEGE answer for the current user on both warehouses.
 * https://docs.aws.amazon.com/redshift/latest/dg/r_HAS_SCHEMA_PRIVILEGE.html
 * https://docs.aws.amazon.com/redshift/latest/dg/r_HAS_DATABASE_PRIVILEGE.html
 */
async function privileges(warehouse: Warehouse, schemas: readonly string[]): Promise<CheckOutcome> {
  const missing: string[] = [];
  const [database] = await warehouse.query<{ can_create: boolean }>("select has_database_privilege(current_database(), 'create') as can_create");
  for (const schema of [...new Set(schemas)]) {
    const present = await warehouse.query<{ name: string }>('select nspname as name from pg_namespace where nspname = $1', [schema]);
    if (present.length === 0) {
      if (!database?.can_create) missing.push(`create on database (to create schema ${schema})`);
      continue;
    }
    const [access] = await warehouse.query<{ can_use: boolean; can_create: boolean }>(
      "select has_schema_privilege($1, 'usage') as can_use, has_schema_privilege($1, 'create') as can_create",
      [schema],
    );
    if (!access?.can_use) missing.push(`usage on schema ${schema}`);
    if (!access?.can_create) missing.push(`create on schema ${schema}`);
  }
  if (missing.length > 0) return fail(`the warehouse user lacks: ${missing.join('; ')} (README "Running on Redshift" lists the grants)`, PAGES.privileges);
  return pass(`may create or use schemas ${[...new Set(schemas)].join(', ')}`);
}

/** A one-row COPY through the target's IAM role into a temporary table, proving Redshift reads the bucket. */
async function copyProbe(context: DebugContext, target: Target, openedWarehouse: () => Promise<Warehouse>): Promise<CheckOutcome> {
  if (target.type === 'postgres') return skip('PostgreSQL warehouses load through pgshift itself, not COPY from S3');
  if (!target.iamRole)
    return fail(
      `target ${target.name}: set iam_role (or PGSHIFT_REDSHIFT_IAM_ROLE) to a role the warehouse can assume to read s3://${context.project.staging.bucket}`,
      PAGES.copyRole,
    );
  const { bucket } = context.project.staging;
  const location = batchLocation({ bucket, prefix: scratchPrefix(context.project) }, 'debug', 'probe', 'copy');
  const part = { key: location.attempt('').partKey(0), bytes: 0 };
  const body = gzipSync('1,probe\n');
  const s3 = context.s3();
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: part.key, Body: body }));
  try {
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: location.manifestKey, Body: JSON.stringify(redshiftManifest(bucket, [{ ...part, bytes: body.length }])) }),
    );
    const table = quoteIdent(`pgshift_debug_${randomBytes(4).toString('hex')}`);
    const copy = copyFromManifestSql(table, ['id', 'note'], s3Url(bucket, location.manifestKey), { iamRole: target.iamRole, region: target.copyRegion });
    // A division by zero fails the transaction unless exactly the one row arrived.
    await (await openedWarehouse()).transaction([
      { sql: `create temporary table ${table} (id integer, note varchar(16))` },
      { sql: copy },
      { sql: `select 1 / (case when count(*) = 1 then 1 else 0 end) from ${table}` },
    ]);
    return pass(`COPY read s3://${bucket}/${location.manifestKey} through ${target.iamRole}`);
  } catch (error) {
    return fail(`COPY through ${target.iamRole} failed: ${error instanceof Error ? error.message : String(error)}`, PAGES.copyRole);
  } finally {
    await deleteKeys(s3, bucket, [part.key, location.manifestKey]).catch(() => {});
  }
}

/**
 * COPY reads a bucket in another region only when told with REGION, so the bucket's region is
 * compared with the warehouse's.
 */
async function regionAgreement(context: DebugContext, target: Target): Promise<CheckOutcome> {
  if (target.type === 'postgres') return skip('PostgreSQL warehouses read S3 through pgshift');
  const { bucket } = context.project.staging;
  const answer = await context.s3().send(new GetBucketLocationCommand({ Bucket: bucket }));
  // An empty LocationConstraint is us-east-1.
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html
  const bucketRegion = answer.LocationConstraint || 'us-east-1';
  if (target.copyRegion) {
    if (target.copyRegion === bucketRegion) return pass(`COPY reads s3://${bucket} in ${bucketRegion} with REGION '${bucketRegion}' (copy_region)`);
    return fail(`copy_region is ${target.copyRegion} but s3://${bucket} is in ${bucketRegion}; set copy_region: ${bucketRegion}`, PAGES.region);
  }
  if (bucketRegion === target.region) return pass(`bucket and warehouse are both in ${bucketRegion}`);
  return fail(
    `s3://${bucket} is in ${bucketRegion} but the warehouse is in ${target.region}; set copy_region: ${bucketRegion} on target ${target.name}`,
    PAGES.region,
  );
}
