// The shape of pgshift.yml. Every object is strict, so a misspelt key is an error that names
// its path; defaults live here and nowhere else.

import { z } from 'zod';
import { parseDuration } from './duration.js';
import { checkTableKey, withDefaultLookback } from './keyless-tables.js';

export const PII_CLASSES = ['email', 'name', 'phone', 'address', 'birth_date', 'free_text', 'secret'] as const;
export type PiiClass = (typeof PII_CLASSES)[number];

const identifier = z.string().min(1, 'must not be empty');
const duration = z.string().refine((value) => parseDuration(value) !== undefined, {
  message: 'must be a duration such as 30m, 1h or 2d',
});
/** The most ranges one table is read in at once; memory is budgeted for this many (slice-memory.ts). */
export const MAX_SLICES = 8;
const oneOrMoreColumns = z.union([identifier, z.array(identifier).min(1)]);

export const tableSchema = z
  .strictObject({
    /** Required, except in mode append (a keyless log: src/config/keyless-tables.ts). */
    primary_key: oneOrMoreColumns.optional(),
    mode: z.enum(['incremental', 'full', 'append']).default('incremental'),
    cursor: identifier.optional(),
    cursor_unit: z.enum(['seconds', 'milliseconds']).optional(),
    /** Default: defaultLookback(mode). */
    lookback: duration.optional(),
    columns: z.array(identifier).min(1).optional(),
    exclude: z.array(identifier).min(1).optional(),
    pii: z.record(identifier, z.enum(PII_CLASSES)).default({}),
    value_policy: z.enum(['fail', 'truncate', 'null']).optional(),
    /** `detect`: every run compares the source's keys with raw and records vanished rows as tombstones. */
    deletes: z.enum(['detect', 'ignore']).default('ignore'),
    /** Above this share of the live rows, detected deletes are refused unless the run accepts them. */
    max_delete_ratio: z.number().min(0).max(1).default(0.1),
    /** A column the application sets when it soft-deletes a row (NULL while the row is live). */
    soft_delete: identifier.optional(),
    /**
     * Ranges read at once, each on its own connection under one exported snapshot
     * (src/extract/slice-plan.ts); `auto` (the default) picks from the table's size and the cores.
     */
    // No .default(): a key the user did not write stays out of the parsed table, so the source
    // checksums (state:modified) of existing projects do not move; absent means auto.
    slices: z.union([z.literal('auto'), z.number().int().min(1).max(MAX_SLICES)]).optional(),
    description: z.string().optional(),
  })
  .superRefine((table, ctx) => {
    checkTableKey(table, ctx);
    if (table.mode !== 'full' && !table.cursor) {
      ctx.addIssue({ code: 'custom', path: ['cursor'], message: 'is required unless mode is full' });
    }
    if (table.mode === 'full' && table.cursor) {
      ctx.addIssue({ code: 'custom', path: ['cursor'], message: 'must not be set when mode is full' });
    }
    if (table.mode === 'full' && table.deletes === 'detect') {
      ctx.addIssue({
        code: 'custom',
        path: ['deletes'],
        message: 'is for incremental tables; mode full replaces the whole table every run, so deleted rows go with it',
      });
    }
    if (table.columns && table.exclude) {
      ctx.addIssue({ code: 'custom', path: ['exclude'], message: 'cannot be combined with columns; use one of them' });
    }
  })
  // The lookback default depends on the mode, so it is filled here instead of by .default().
  .overwrite((table) => withDefaultLookback(table, defaultLookback(table.mode)));

/**
 * How far before the interval an extract re-reads, for late rows: 1h, except 0 for mode append,
 * where a re-read row has no key to replace it by and would be in two days' batches.
 */
export function defaultLookback(mode: 'incremental' | 'full' | 'append'): string {
  return mode === 'append' ? '0s' : '1h';
}

export const sourceSchema = z.strictObject({
  schema: identifier.default('public'),
  connection_env: identifier.default('PGSHIFT_SOURCE_URL'),
  description: z.string().optional(),
  tables: z.record(identifier, tableSchema).refine((tables) => Object.keys(tables).length > 0, {
    message: 'must list at least one table',
  }),
});

export const stagingSchema = z.strictObject({
  bucket: identifier,
  prefix: z.string().default('pgshift'),
  gzip_level: z.number().int().min(1).max(9).default(1),
  part_size_mb: z.number().min(1).max(4_096).default(64),
  upload_part_size_mb: z.number().min(5).max(512).default(5),
  upload_queue_size: z.number().int().min(1).max(32).default(4),
  /**
   * The warehouse cluster's slice count: a batch split in ranges has a multiple of it as its
   * number of part files, so COPY gives every slice an equal share (src/extract/part-count.ts).
   */
  warehouse_slices: z.number().int().min(1).max(1_024).default(1),
  /**
   * Upload buffers (each upload_part_size_mb) the ranges of one table fill at once
   * (src/extract/one-buffer-part-files.ts): the memory of a table read in ranges, and how many
   * of its ranges stream at the same time.
   */
  range_upload_buffers: z.number().int().min(1).max(64).default(2),
  /** Attempts per S3 request, the first included; retries back off exponentially. */
  s3_max_attempts: z.number().int().min(1).max(20).default(5),
  s3_connect_timeout: duration.default('5s'),
  /** How long one S3 request attempt may wait for its reply. */
  s3_request_timeout: duration.default('120s'),
});

// How long pgshift waits on a server before it gives up with an error naming the connection.
// `connect`: opening a PostgreSQL connection or a TCP/TLS connection to the Data API; `query`:
// one PostgreSQL statement (statement_timeout, and the client's own limit when the server falls
// silent); `idle`: a PostgreSQL session left idle inside a transaction; `request`: one Data API
// HTTP request (the statement itself is bounded by the target's statement_timeout).
export const timeoutsSchema = z.strictObject({
  connect: duration.default('10s'),
  query: duration.default('6h'),
  idle: duration.default('10m'),
  request: duration.default('60s'),
});

const postgresTargetSchema = z.strictObject({
  type: z.literal('postgres'),
  schema: identifier.default('analytics'),
  connection_env: identifier.default('PGSHIFT_WAREHOUSE_URL'),
});

const redshiftTargetSchema = z
  .strictObject({
    type: z.literal('redshift'),
    schema: identifier.default('analytics'),
    database: identifier,
    cluster_identifier: identifier.optional(),
    workgroup_name: identifier.optional(),
    db_user: identifier.optional(),
    region: identifier.optional(),
    /** COPY's REGION: the staging bucket's region, when it differs from the warehouse's. */
    copy_region: identifier.optional(),
    iam_role: z.string().optional(),
    statement_timeout: duration.default('2h'),
  })
  .superRefine((target, ctx) => {
    if (Boolean(target.cluster_identifier) === Boolean(target.workgroup_name)) {
      ctx.addIssue({
        code: 'custom',
        path: ['cluster_identifier'],
        message: 'set exactly one of cluster_identifier (provisioned) or workgroup_name (serverless)',
      });
    }
  });

export const targetSchema = z.discriminatedUnion('type', [postgresTargetSchema, redshiftTargetSchema]);

// Role names are compared with what the warehouse catalog reports; Redshift folds names to
// lower case, so only lower-case names mean the same thing in both warehouses.
const ROLE_NAME = /^[a-z_][a-z0-9_]*$/;
const ROLE_NAME_RULE = 'must be lower case: letters, digits and _, not starting with a digit';

// Schema names in read/write: the raw schema and pgshift_meta by their own name, `default` for
// the target schema, any other name X for the model schema `<target.schema>_X`, as +schema
// names it (src/governance/schema-names.ts).
export const governanceRoleSchema = z.strictObject({
  description: z.string().optional(),
  /** Schemas the role reads: USAGE on the schema, SELECT on every table and view in it. */
  read: z.array(identifier).default([]),
  /** Schemas the role writes: read, plus INSERT/UPDATE/DELETE (TRUNCATE on PostgreSQL) and CREATE. */
  write: z.array(identifier).default([]),
  /**
   * The role may read PII: unmasked classified columns, and models whose governance tests
   * (no_pii, or any test tagged `governance`) fail. Other roles never get those.
   */
  pii: z.boolean().default(false),
});

export const governanceSchema = z
  .strictObject({
    /** Put before every declared role name in the warehouse (`dev_` → `dev_marketing`). */
    role_prefix: z
      .string()
      .regex(/^([a-z_][a-z0-9_]*)?$/, ROLE_NAME_RULE)
      .default(''),
    roles: z.record(identifier, governanceRoleSchema).default({}),
    /**
     * Write, audit, publish: a model's new version is tested where readers cannot see it and
     * published only when its error-severity tests pass (src/run/materializations/audit.ts).
     * false: dbt's order (build, publish, then test).
     */
    audit_before_publish: z.boolean().default(true),
  })
  .superRefine((governance, ctx) => {
    for (const name of Object.keys(governance.roles)) {
      if (!ROLE_NAME.test(name)) ctx.addIssue({ code: 'custom', path: ['roles', name], message: ROLE_NAME_RULE });
      // PostgreSQL cuts longer names to 63 bytes silently; the cut name would never match.
      else if (governance.role_prefix.length + name.length > 63) {
        ctx.addIssue({ code: 'custom', path: ['roles', name], message: `makes the role name ${governance.role_prefix}${name}, longer than 63 characters` });
      }
    }
  });

// The dashboard's five panels, each fed by one model of the project. The columns each model
// must have are the report's contract (src/report/report-tables.ts), checked before it reads.
export const REPORT_PANELS = ['daily_sales', 'product_performance', 'customer_lifetime_value', 'new_vs_returning_customers', 'cohort_retention'] as const;
export type ReportPanel = (typeof REPORT_PANELS)[number];

// A panel's model by name, or with the columns it reads under other names
// (`{ model: ltv, columns: { lifetime_value: ltv_eur } }`); the column names are checked
// against the panel's own when the report binds (src/api/report-tables-of.ts).
const reportModel = z.union([identifier, z.strictObject({ model: identifier, columns: z.record(identifier, identifier).default({}) })], {
  error: 'must be a model name or { model, columns }',
});

export const reportSchema = z.strictObject({
  models: z.strictObject(Object.fromEntries(REPORT_PANELS.map((panel) => [panel, reportModel])) as Record<ReportPanel, typeof reportModel>),
});

export const projectSchema = z.strictObject({
  // Optional when dbt_project.yml names the project (src/config/load-project.ts).
  name: identifier.optional(),
  version: z.number().int().optional(),
  // Default: profiles.yml's target, else dev (src/config/load-project.ts).
  target: identifier.optional(),
  threads: z.number().int().min(1).max(64).default(4),
  // Parsed from {} so the defaults above are the only ones.
  timeouts: timeoutsSchema.default(() => timeoutsSchema.parse({})),
  raw_schema: identifier.default('raw'),
  // A run without --date resumes after each table's last complete day; beyond this many missing
  // days it refuses and names --start/--end instead (src/batch/day-plan.ts).
  catch_up_max_days: z.number().int().min(1).max(3660).default(31),
  sources: z.record(identifier, sourceSchema).default({}),
  staging: stagingSchema,
  // May be left out when profiles.yml defines the targets; load-project.ts checks one exists.
  targets: z.record(identifier, targetSchema).default({}),
  vars: z.record(z.string(), z.unknown()).default({}),
  // Folder-level model and seed configuration, read by the model engine.
  models: z.record(z.string(), z.unknown()).default({}),
  seeds: z.record(z.string(), z.unknown()).default({}),
  // Roles and the schemas they may read or write, reconciled after every run (src/governance).
  governance: governanceSchema.default({ role_prefix: '', roles: {}, audit_before_publish: true }),
  // Which models feed the dashboard `pgshift run` writes; without it a run writes no report.
  report: reportSchema.optional(),
});

export type ProjectFile = z.infer<typeof projectSchema>;
export type TableFile = z.infer<typeof tableSchema>;
export type TargetFile = z.infer<typeof targetSchema>;
