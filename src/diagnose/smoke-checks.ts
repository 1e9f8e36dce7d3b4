// `pgshift smoke`: a bounded end-to-end proof on a real warehouse, inside a scratch schema and
// under scratch names that it removes afterwards: the every-type round trip, a full-table swap
// under a late-binding view, an incremental merge, and a declared grant to a scratch role.

import { randomBytes } from 'node:crypto';
import { DeleteObjectsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { StagingSettings } from '../config/project.js';
import type { Interval } from '../batch/interval.js';
import { buildGrantPolicy, planReconcile, readGrants, reconcileGrants } from '../governance/index.js';
import { META_SCHEMA } from '../batch/meta-schema.js';
import { quoteIdent, quoteQualified } from '../sql/quote-ident.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import type { Check, CheckOutcome } from './checks.js';
import { SMOKE_MODEL, smokeIncrementalMerge } from './smoke-incremental.js';
import { describeMismatches, SMOKE_ROW_COUNT, SMOKE_TABLE, smokeRoundTrip } from './smoke-round-trip.js';

export interface SmokeContext {
  readonly sourceUrl: string;
  readonly warehouse: Warehouse;
  readonly s3: S3Client;
  readonly staging: StagingSettings;
  readonly interval: Interval;
  /** Scratch names are derived from it; random by default. */
  readonly runId?: string;
}

const PAGES = {
  copy: 'https://docs.aws.amazon.com/redshift/latest/dg/r_COPY.html',
  lateBinding: 'https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_VIEW.html',
  grant: 'https://docs.aws.amazon.com/redshift/latest/dg/r_GRANT.html',
  merge: 'https://docs.aws.amazon.com/redshift/latest/dg/r_MERGE.html',
} as const;

export interface SmokeRun {
  readonly schema: string;
  readonly checks: readonly Check[];
  /** Drops the scratch schema, role, batch records and staging objects, whatever the checks did. */
  cleanup(): Promise<void>;
}

export function smokeChecks(context: SmokeContext): SmokeRun {
  const runId = context.runId ?? randomBytes(4).toString('hex');
  const schema = `pgshift_smoke_${runId}`;
  const roleName = `pgshift_smoke_${runId}_reader`;
  const staging = { ...context.staging, prefix: `${context.staging.prefix.replace(/\/+$/, '')}/_pgshift_smoke/${runId}`.replace(/^\//, '') };
  const { warehouse } = context;
  const roundTrip = () => smokeRoundTrip({ ...context, staging, schema, sourceName: schema });
  const view = quoteQualified(schema, 'pgshift_smoke_view');
  let loaded = false;

  const checks: Check[] = [
    {
      name: 'every type, value by value',
      async run() {
        const result = await roundTrip();
        loaded = true;
        if (result.rows !== SMOKE_ROW_COUNT) return fail(`loaded ${result.rows} rows of ${SMOKE_ROW_COUNT}`, PAGES.copy);
        if (result.mismatches.length > 0) return fail(describeMismatches(result.mismatches), PAGES.copy);
        return pass(`${SMOKE_ROW_COUNT} rows of ${SMOKE_TABLE} extracted, loaded and equal in every column`);
      },
    },
    {
      name: 'full-table swap under a view',
      async run() {
        if (!loaded) return { status: 'skip', detail: 'the round trip did not load the table' };
        // Redshift: a late-binding view is not bound to the table, so the swap can replace it.
        const binding = warehouse.dialect === 'redshift' ? ' with no schema binding' : '';
        await warehouse.execute(
          `create view ${view} as select ${quoteIdent('id')}, ${quoteIdent('note')} from ${quoteQualified(schema, SMOKE_TABLE)}${binding}`,
        );
        const again = await roundTrip();
        const [row] = await warehouse.query<{ n: number | string }>(`select count(*) as n from ${view}`);
        if (again.mismatches.length > 0) return fail(`after the swap: ${describeMismatches(again.mismatches)}`, PAGES.lateBinding);
        if (Number(row?.n) !== SMOKE_ROW_COUNT) return fail(`the view reads ${row?.n} rows after the swap, not ${SMOKE_ROW_COUNT}`, PAGES.lateBinding);
        return pass('the table was replaced atomically and the view over it still reads every row');
      },
    },
    {
      name: 'incremental merge',
      async run() {
        if (!loaded) return { status: 'skip', detail: 'the round trip did not load the table' };
        const problem = await smokeIncrementalMerge({ warehouse, schema, sourceName: schema, staging });
        if (problem) return fail(problem, PAGES.merge);
        return pass(`${SMOKE_MODEL} built, then merged incrementally: one row updated, one inserted, every key once`);
      },
    },
    {
      name: 'grant to a declared role',
      async run() {
        if (!loaded) return { status: 'skip', detail: 'the round trip did not load the table' };
        const policy = buildGrantPolicy({
          governance: { rolePrefix: `pgshift_smoke_${runId}_`, roles: [{ name: 'reader', read: [schema], write: [] }] },
          rawSchema: schema,
          targetSchema: schema,
          dialect: warehouse.dialect,
        });
        await reconcileGrants(warehouse, policy);
        const granted = await readGrants(warehouse, policy);
        const reads = granted.relationPrivileges.some((grant) => grant.role === roleName && grant.relation === SMOKE_TABLE && grant.privilege === 'select');
        if (!reads) return fail(`${roleName} was not granted select on ${schema}.${SMOKE_TABLE}`, PAGES.grant);
        const left = await planReconcile(warehouse, policy);
        if (left.length > 0) return fail(`a second reconcile would still run: ${left[0]?.sql}`, PAGES.grant);
        return pass(`${roleName} reads ${schema}; a second reconcile changes nothing`);
      },
    },
  ];

  return {
    schema,
    checks,
    async cleanup() {
      const steps = [
        () => warehouse.execute(`drop schema if exists ${quoteIdent(schema)} cascade`),
        async () => {
          // The batch records of the smoke's loads, if it got as far as a load.
          if (await warehouse.describeTable(META_SCHEMA, 'batches')) await warehouse.execute(`delete from ${META_SCHEMA}.batches where source = $1`, [schema]);
        },
        async () => {
          const roles = await warehouse.query<{ n: number | string }>(
            warehouse.dialect === 'redshift'
              ? 'select count(*) as n from svv_roles where role_name = $1'
              : 'select count(*) as n from pg_roles where rolname = $1',
            [roleName],
          );
          if (Number(roles[0]?.n) > 0) await warehouse.execute(`drop role ${quoteIdent(roleName)}`);
        },
        () => deletePrefix(context.s3, staging.bucket, `${staging.prefix}/`),
      ];
      const failures: string[] = [];
      for (const step of steps) await step().catch((error: unknown) => failures.push(error instanceof Error ? error.message : String(error)));
      if (failures.length > 0) throw new Error(`smoke cleanup left scratch objects behind (${schema}): ${failures.join('; ')}`);
    },
  };
}

const pass = (detail: string): CheckOutcome => ({ status: 'pass', detail });
const fail = (detail: string, docs: string): CheckOutcome => ({ status: 'fail', detail, docs });

async function deletePrefix(s3: S3Client, bucket: string, prefix: string): Promise<void> {
  for (let token: string | undefined; ; ) {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    const keys = (page.Contents ?? []).flatMap((object) => (object.Key ? [{ Key: object.Key }] : []));
    if (keys.length > 0) {
      const { Errors } = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }));
      if (Errors && Errors.length > 0) throw new Error(`could not remove s3://${bucket}/${Errors[0]?.Key}: ${Errors[0]?.Message}`);
    }
    if (!page.IsTruncated) return;
    token = page.NextContinuationToken;
  }
}
