// `pgshift debug [--target T]`, as `dbt debug`: the configuration, each connection (source, S3,
// warehouse) with a timeout, the privileges pgshift needs in the warehouse, region agreement and,
// on Redshift, a tiny COPY through the IAM role. Prints one line per check; exits 1 if one fails.

import { DeleteObjectsCommand, GetBucketLocationCommand, HeadBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { Command } from 'commander';
import { gzipSync } from 'node:zlib';
import type { Target } from '../config/target.js';
import { errorMessage } from '../errors.js';
import { META_SCHEMA } from '../load/batch-records.js';
import { quoteIdent } from '../sql/quote-ident.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { openRuntime, type GlobalOptions, type Runtime } from './runtime.js';

const TIMEOUT_MS = 15_000;

interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  /** What to read or do when the check fails. */
  readonly hint?: string;
}

export function registerDebugCommand(program: Command): void {
  program
    .command('debug')
    .description('check the configuration, the connections, the warehouse privileges and (Redshift) a tiny COPY; exits 1 if a check fails')
    .action(async (_options: unknown, cmd: Command) => {
      const checks = await runDebugChecks(cmd.optsWithGlobals<GlobalOptions>());
      for (const check of checks) {
        process.stdout.write(`${check.ok ? 'PASS' : 'FAIL'}  ${check.name.padEnd(28)} ${check.detail}\n`);
        if (!check.ok && check.hint) process.stdout.write(`      ${''.padEnd(28)} hint: ${check.hint}\n`);
      }
      const failed = checks.filter((check) => !check.ok).length;
      process.stdout.write(failed === 0 ? `all ${checks.length} checks passed\n` : `${failed} of ${checks.length} checks failed\n`);
      if (failed > 0) process.exitCode = 1;
    });
}

export async function runDebugChecks(options: GlobalOptions): Promise<Check[]> {
  const checks: Check[] = [];
  let runtime: Runtime;
  try {
    runtime = await openRuntime(options);
    checks.push({ name: 'pgshift.yml', ok: true, detail: `${runtime.project.file}: ${runtime.project.tables.length} source table(s)` });
  } catch (error) {
    return [{ name: 'pgshift.yml', ok: false, detail: errorMessage(error) }];
  }
  let warehouse: Warehouse | undefined;
  try {
    let target: Target | undefined;
    try {
      target = runtime.target();
      checks.push({ name: 'target', ok: true, detail: describeTarget(target) });
    } catch (error) {
      checks.push({ name: 'target', ok: false, detail: errorMessage(error) });
    }
    const seen = new Set<string>();
    for (const table of runtime.project.tables) {
      if (seen.has(table.connectionEnv)) continue;
      seen.add(table.connectionEnv);
      checks.push(await check(`source ${table.source}`, async () => {
        const { rows } = await runtime.sourcePool(table).query<{ version: string }>('select version() as version');
        return rows[0]?.version.split(' ').slice(0, 2).join(' ') ?? 'connected';
      }));
    }
    const { bucket } = runtime.project.staging;
    checks.push(await check('staging bucket', async () => {
      await runtime.s3().send(new HeadBucketCommand({ Bucket: bucket }));
      return `s3://${bucket} is reachable`;
    }, 'the identity needs s3:ListBucket on the bucket; see README "Running on Redshift"'));
    if (!target) return checks;
    const { openWarehouse } = await import('../warehouse/open-warehouse.js');
    warehouse = await openWarehouse(target, () => runtime.s3(), 1);
    const connected = await check('warehouse', async () => {
      const rows = await warehouse!.query<{ user_name: string; database_name: string }>('select current_user as user_name, current_database() as database_name');
      return `connected as ${rows[0]?.user_name} to ${rows[0]?.database_name}`;
    });
    checks.push(connected);
    if (!connected.ok) return checks;
    checks.push(...(await privilegeChecks(warehouse, runtime.project.rawSchema)));
    if (target.type === 'redshift') {
      checks.push(await regionCheck(runtime, target));
      checks.push(await tinyCopyCheck(runtime, warehouse, target));
    }
    return checks;
  } finally {
    await warehouse?.close().catch(() => {});
    await runtime.close();
  }
}

function describeTarget(target: Target): string {
  if (target.type === 'postgres') return `${target.name}: postgres, schema ${target.schema}`;
  const where = target.workgroupName ? `workgroup ${target.workgroupName}` : `cluster ${target.clusterIdentifier}`;
  const who = target.secretArn ? 'a Secrets Manager secret' : target.dbUser ? `db user ${target.dbUser}` : 'the caller’s IAM identity';
  return `${target.name}: redshift ${where}, database ${target.database}, region ${target.region ?? '(from the AWS config)'}, as ${who}`;
}

async function check(name: string, run: () => Promise<string>, hint?: string): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS / 1000}s`)), TIMEOUT_MS);
    });
    return { name, ok: true, detail: await Promise.race([run(), timeout]) };
  } catch (error) {
    return { name, ok: false, detail: errorMessage(error).split('\n')[0]!, hint };
  } finally {
    clearTimeout(timer);
  }
}

/** CREATE on the database (for model schemas), or on raw and pgshift_meta where they exist. */
async function privilegeChecks(warehouse: Warehouse, rawSchema: string): Promise<Check[]> {
  const results: Check[] = [];
  results.push(await check('create schemas', async () => {
    const rows = await warehouse.query<{ ok: boolean }>(`select has_database_privilege(current_database(), 'create') as ok`);
    if (!rows[0]?.ok) throw new Error('the pgshift user cannot create schemas in this database');
    return 'the user may create schemas';
  }, 'grant create on database <db> to <pgshift user> (README "One-time admin SQL")'));
  for (const schema of [rawSchema, META_SCHEMA]) {
    results.push(await check(`schema ${schema}`, async () => {
      const rows = await warehouse.query<{ ok: boolean | null }>(
        `select case when exists (select 1 from pg_namespace where nspname = $1) then has_schema_privilege($1, 'create') and has_schema_privilege($1, 'usage') end as ok`,
        [schema],
      );
      const ok = rows[0]?.ok;
      if (ok === false) throw new Error(`schema ${schema} exists but the user lacks CREATE or USAGE on it`);
      return ok === null || ok === undefined ? `does not exist yet; pgshift creates it` : 'create and usage granted';
    }, `alter schema ${quoteIdent(schema)} owner to <pgshift user>`));
  }
  return results;
}

async function regionCheck(runtime: Runtime, target: Extract<Target, { type: 'redshift' }>): Promise<Check> {
  return check('region agreement', async () => {
    const { LocationConstraint } = await runtime.s3().send(new GetBucketLocationCommand({ Bucket: runtime.project.staging.bucket }));
    const bucketRegion = LocationConstraint || 'us-east-1';
    const copyRegion = target.copyRegion ?? target.region;
    if (copyRegion && copyRegion !== bucketRegion) {
      throw new Error(`the bucket is in ${bucketRegion} but COPY would read it as ${copyRegion}; set copy_region: ${bucketRegion} on the target`);
    }
    return `bucket in ${bucketRegion}${target.copyRegion ? ' (copy_region)' : ''}`;
  }, 'https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-source-s3.html#copy-region');
}

/** A two-row COPY through the target's IAM role into a temporary table, then the objects are removed. */
async function tinyCopyCheck(runtime: Runtime, warehouse: Warehouse, target: Extract<Target, { type: 'redshift' }>): Promise<Check> {
  const { bucket, prefix } = runtime.project.staging;
  const base = `${prefix ? `${prefix.replace(/\/$/, '')}/` : ''}_pgshift_debug/${Date.now()}`;
  const partKey = `${base}/part-00000.csv.gz`;
  const manifestKey = `${base}/manifest.json`;
  return check('COPY through iam_role', async () => {
    if (!target.iamRole) throw new Error('the target has no iam_role (or PGSHIFT_REDSHIFT_IAM_ROLE)');
    const body = gzipSync('1,a\n2,\\N\n');
    const s3 = runtime.s3();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: partKey, Body: body }));
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: manifestKey, Body: JSON.stringify({ entries: [{ url: `s3://${bucket}/${partKey}`, mandatory: true, meta: { content_length: body.length } }] }) }),
    );
    try {
      const { copyFromManifestSql } = await import('../warehouse/redshift-copy-sql.js');
      const copy = copyFromManifestSql('pgshift_debug_copy', ['id', 'note'], `s3://${bucket}/${manifestKey}`, { iamRole: target.iamRole, region: target.copyRegion });
      const results = await warehouse.transaction([{ sql: 'create temp table pgshift_debug_copy (id integer, note varchar(8))' }, { sql: copy }]);
      return `loaded ${results[1]?.rowCount ?? '?'} row(s) from s3://${bucket}/${base}/`;
    } finally {
      await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: manifestKey }, { Key: partKey }], Quiet: true } })).catch(() => {});
    }
  }, 'the COPY role needs s3:GetObject and s3:ListBucket on the staging bucket and must be associated with the cluster or namespace (README "Running on Redshift")');
}
