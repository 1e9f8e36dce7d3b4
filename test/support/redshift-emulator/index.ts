// A Redshift Data API emulator for tests: an HTTP server the real @aws-sdk/client-redshift-data
// client can be pointed at (its `endpoint`), backed by one PostgreSQL database and an S3 endpoint.

import { S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import { startHttpServer } from './http-server.js';
import { installSessionFunctions } from './session-functions.js';
import { StatementRunner } from './statement-runner.js';
import { StatementStore } from './statement-store.js';
import { createWarehouseIdentity, type WarehouseIdentity, type WarehouseIdentityOptions } from '../warehouse-identity.js';
import { InjectedFailures, type InjectedFailureOptions } from './injected-failures.js';
import { Throttle, type ThrottleOptions } from './throttle.js';
import { TypeCatalog } from './type-catalog.js';

export interface RedshiftEmulatorOptions {
  /** The PostgreSQL database that stands in for the warehouse. */
  postgresUrl: string;
  /** S3 endpoint COPY reads manifests and parts from (a local S3 server). */
  s3Endpoint: string;
  s3Region?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Rows per GetStatementResult page (default 1000); small values exercise NextToken paging. */
  pageSize?: number;
  /**
   * DescribeStatement calls a statement answers SUBMITTED, then PICKED, before it starts
   * (default 0), so callers must really poll; counted in calls, never in time.
   */
  pollsBeforeStart?: number;
  /** Statements whose SQL matches fail with an injected error (their batch rolls back). */
  failWhen?: RegExp;
  /** A seeded share of statements fails with ERROR 1023 and Status FAILED (injected-failures.ts); off by default. */
  failures?: InjectedFailureOptions;
  /** Connections to the backing PostgreSQL (default 10): one per running statement. */
  maxConnections?: number;
  /**
   * Refuse and behave as Redshift does (the rules in README.md, each citing its AWS page):
   * reserved words, case folding, serializable isolation, procedure privileges, nested WITH,
   * the statement size limit, TRUNCATE's commit, … On by default; `false` is the lenient
   * emulator of old, for tests of something else entirely.
   */
  strict?: boolean;
  /**
   * The PostgreSQL role statements run as (SET SESSION AUTHORIZATION), as the Data API runs
   * as the database user of DbUser, the secret or the IAM identity. A function picks it per
   * request; undefined runs as the emulator's own login (a superuser).
   */
  runAs?: string | ((request: { dbUser?: string; secretArn?: string }) => string | undefined);
  /**
   * Run every statement as a fresh non-superuser identity with only what an admin grants
   * pgshift (test/support/warehouse-identity.ts), dropped on close. Ignored when `runAs` is
   * given. Defaults to true when PGSHIFT_EMULATOR_IDENTITY=non-superuser is set, so the whole
   * suite can run that way without editing each test.
   */
  nonSuperuser?: boolean | WarehouseIdentityOptions;
  /** Answer every Nth Data API call with ThrottlingException (off by default). */
  throttleEvery?: number;
  /** Finer throttling: a seeded share of calls, or only some operations (throttle.ts). */
  throttle?: ThrottleOptions;
}

export interface RedshiftEmulator {
  /** http://127.0.0.1:PORT, for RedshiftDataClient's `endpoint`. */
  readonly endpoint: string;
  /** The identity statements run as when the emulator created one (`nonSuperuser`). */
  readonly identity?: string;
  /**
   * libpq `options` for a test's own connection to the backing database that should act as the
   * warehouse identity (UTC, and `role` set to the identity when there is one), so the tables a
   * test prepares belong to the identity as the ones pgshift loads would.
   */
  readonly connectionOptions: string;
  /** Every statement accepted so far (batch members as `<id>:N`), for assertions. */
  statements(): readonly { id: string; sql: string; status: string }[];
  setFailWhen(re?: RegExp): void;
  /** Replaces the injected-failure options; `{}` turns them off. */
  setFailures(options: InjectedFailureOptions): void;
  /** Statements failed by `failures` and calls refused by throttling since their options were last set. */
  injectedFaults(): { failed: number; throttled: number };
  /** Turns throttling on (every Nth call from now) or off (undefined). */
  setThrottleEvery(every?: number): void;
  /** Replaces the throttling options; `{}` turns it off. */
  setThrottle(options: ThrottleOptions): void;
  close(): Promise<void>;
}

export async function startRedshiftEmulator(options: RedshiftEmulatorOptions): Promise<RedshiftEmulator> {
  // Redshift sessions run in UTC unless told otherwise; GETDATE() and SYSDATE rely on it.
  const strict = options.strict ?? true;
  // Redshift runs every transaction serializable; PostgreSQL's SERIALIZABLE aborts the same
  // conflicting pairs (SQLSTATE 40001), which the runner reports as Redshift's ERROR 1023.
  // https://docs.aws.amazon.com/redshift/latest/dg/c_serial_isolation.html
  const isolation = strict ? ' -c default_transaction_isolation=serializable' : '';
  const connection = { connectionString: options.postgresUrl, options: `-c TimeZone=UTC${isolation}`, application_name: 'redshift-emulator' };
  const admin = new pg.Client(connection);
  await admin.connect();
  const pool = new pg.Pool({ ...connection, max: options.maxConnections ?? 10 });
  // A pooled connection killed by the server must not crash the test run; its next use reports it.
  pool.on('error', () => {});
  admin.on('error', () => {});
  const s3 = new S3Client({
    endpoint: options.s3Endpoint,
    region: options.s3Region ?? 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    // Local S3 servers reject the SDK's default streaming checksums.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  let failWhen = options.failWhen;
  let identity: WarehouseIdentity | undefined;
  try {
    await installSessionFunctions(admin);
    const nonSuperuser = options.nonSuperuser ?? process.env.PGSHIFT_EMULATOR_IDENTITY === 'non-superuser';
    if (options.runAs === undefined && nonSuperuser) {
      identity = await createWarehouseIdentity(options.postgresUrl, typeof nonSuperuser === 'object' ? nonSuperuser : {});
    }
    const defaultRole = identity?.name;
    const store = new StatementStore();
    const failures = new InjectedFailures(options.failures);
    const runner = new StatementRunner({
      pool,
      admin,
      s3,
      catalog: new TypeCatalog(),
      pollsBeforeStart: options.pollsBeforeStart ?? 0,
      failWhen: () => failWhen,
      failures,
      strict,
      runAs: (request) => (typeof options.runAs === 'function' ? options.runAs(request) : (options.runAs ?? defaultRole)),
    });
    const throttle = new Throttle(options.throttle ?? { every: options.throttleEvery });
    const server = await startHttpServer(options.port ?? 0, { store, runner, pageSize: options.pageSize ?? 1000, strict, throttle });
    return {
      endpoint: `http://127.0.0.1:${server.port}`,
      identity: identity?.name,
      connectionOptions: `-c TimeZone=UTC${identity ? ` -c role=${identity.name}` : ''}`,
      statements: () =>
        store
          .all()
          .flatMap((statement) => [
            { id: statement.id, sql: statement.sql, status: statement.status },
            ...(statement.isBatch ? statement.parts.map((part) => ({ id: part.id, sql: part.sql, status: part.status })) : []),
          ]),
      setFailWhen(re) {
        failWhen = re;
      },
      setFailures(failureOptions) {
        failures.reset(failureOptions);
      },
      injectedFaults: () => ({ failed: failures.failed, throttled: throttle.throttled }),
      setThrottleEvery(every) {
        throttle.reset({ every });
      },
      setThrottle(throttleOptions) {
        throttle.reset(throttleOptions);
      },
      async close() {
        try {
          await server.close();
          await runner.stopAll();
        } finally {
          s3.destroy();
          await pool.end();
          await admin.end();
          await identity?.drop();
        }
      },
    };
  } catch (error) {
    s3.destroy();
    await pool.end();
    await admin.end();
    await identity?.drop().catch(() => {});
    throw error;
  }
}
