import { describe, expect, it } from 'vitest';
import { parseProject } from '../../src/config/load-project.js';
import { PII_KEY_MISSING_MESSAGE, requirePiiKeyFor } from '../../src/config/pii-key-policy.js';
import { type RedshiftTarget, requireCopyRole, resolveTarget } from '../../src/config/target.js';

const base = `
name: shop
staging: { bucket: b }
targets: { dev: { type: postgres } }
`;

function withSources(tables: string): string {
  return `${base}sources:\n  shop:\n    tables:\n${tables}`;
}

describe('pgshift.yml', () => {
  it('turns sources into typed tables with defaults filled in', () => {
    const project = parseProject(
      withSources('      orders: { primary_key: [id, line], cursor: updated_at }\n      products: { primary_key: id, mode: full }\n'),
      'pgshift.yml',
    );
    expect(project.tables).toMatchObject([
      {
        id: 'shop.orders',
        sourceSchema: 'public',
        primaryKey: ['id', 'line'],
        mode: 'incremental',
        cursor: 'updated_at',
        lookbackMs: 3_600_000,
        connectionEnv: 'PGSHIFT_SOURCE_URL',
      },
      { id: 'shop.products', primaryKey: ['id'], mode: 'full' },
    ]);
    expect(project.staging).toMatchObject({ bucket: 'b', prefix: 'pgshift', gzipLevel: 1, partSizeBytes: 64 * 1024 * 1024 });
  });

  it('waits seconds to connect by default, and takes other timeouts from the timeouts block', () => {
    expect(parseProject(base, 'pgshift.yml').timeouts).toEqual({ connectMs: 10_000, queryMs: 6 * 3_600_000, idleMs: 600_000, requestMs: 60_000 });
    const project = parseProject(`${base}timeouts: { connect: 3s, query: 30m }\n`, 'pgshift.yml');
    expect(project.timeouts).toMatchObject({ connectMs: 3_000, queryMs: 1_800_000, idleMs: 600_000 });
    // The warehouse connection carries them, with the variable its errors name.
    expect(resolveTarget(project, 'dev', { PGSHIFT_WAREHOUSE_URL: 'postgres://h/db' })).toMatchObject({
      connectionEnv: 'PGSHIFT_WAREHOUSE_URL',
      timeouts: { connectMs: 3_000 },
    });
    expect(() => parseProject(`${base}timeouts: { connect: soon }\n`, 'pgshift.yml')).toThrow('timeouts.connect');
  });

  it('names the full path of an unknown key, and the key it most likely means', () => {
    expect(() => parseProject(withSources('      orders: { primary_key: id, cursr: updated_at }\n'), 'pgshift.yml')).toThrow(
      "pgshift.yml: unknown key sources.shop.tables.orders.cursr; did you mean 'cursor'?",
    );
    expect(() => parseProject(`${base}threds: 4\n`, 'pgshift.yml')).toThrow("pgshift.yml: unknown key threds; did you mean 'threads'?");
    expect(() => parseProject(`${base.replace('{ bucket: b }', '{ bucket: b, prefx: p }')}`, 'pgshift.yml')).toThrow(
      "pgshift.yml: unknown key staging.prefx; did you mean 'prefix'?",
    );
    expect(() =>
      parseProject(`${base.replace('{ type: postgres }', '{ type: redshift, database: d, workgroup_name: w, iam_rol: r }')}`, 'pgshift.yml'),
    ).toThrow("pgshift.yml: unknown key targets.dev.iam_rol; did you mean 'iam_role'?");
    expect(() => parseProject(withSources('      orders: { primary_key: id, cursor: updated_at, colour: blue }\n'), 'pgshift.yml')).toThrow(
      'pgshift.yml: unknown key sources.shop.tables.orders.colour; check the spelling against the configuration reference in README.md',
    );
  });

  it('calls a key with no value empty, not "an object, got object"', () => {
    expect(() => parseProject(withSources('      orders:\n'), 'pgshift.yml')).toThrow('pgshift.yml: sources.shop.tables.orders is empty; it must be a mapping');
  });

  it('names the key and the expected type when a value has the wrong type', () => {
    expect(() => parseProject(`${base.replace('{ bucket: b }', '{ bucket: b, gzip_level: fast }')}`, 'pgshift.yml')).toThrow(
      'pgshift.yml: staging.gzip_level must be a number, got string',
    );
    expect(() => parseProject(withSources('      orders: { primary_key: id, cursor: updated_at, lookback: soon }\n'), 'pgshift.yml')).toThrow(
      'pgshift.yml: sources.shop.tables.orders.lookback must be a duration such as 30m, 1h or 2d',
    );
  });

  it('requires a cursor for incremental tables and refuses one for full tables', () => {
    expect(() => parseProject(withSources('      orders: { primary_key: id }\n'), 'f.yml')).toThrow(
      'f.yml: sources.shop.tables.orders.cursor is required unless mode is full',
    );
    expect(() => parseProject(withSources('      orders: { primary_key: id, mode: full, cursor: updated_at }\n'), 'f.yml')).toThrow(
      'f.yml: sources.shop.tables.orders.cursor must not be set when mode is full',
    );
  });

  it('reports a missing required key and YAML syntax errors with a line', () => {
    expect(() => parseProject('name: x\ntargets: { dev: { type: postgres } }\n', 'f.yml')).toThrow('f.yml: staging is required (expected object)');
    expect(() => parseProject('name: x\n  bad: [\n', 'f.yml')).toThrow(/^f\.yml:\d+: invalid YAML/);
  });

  it('refuses a default target that is not defined', () => {
    expect(() => parseProject(`${base}target: prod\n`, 'f.yml')).toThrow("f.yml: target 'prod' is not defined under targets (defined: dev)");
  });
});

describe('targets', () => {
  const project = parseProject(
    `${base.replace(
      'targets: { dev: { type: postgres } }',
      `targets:
  dev: { type: postgres }
  prod: { type: redshift, database: analytics, workgroup_name: wg, iam_role: 'arn:aws:iam::1:role/copy' }`,
    )}`,
    'pgshift.yml',
  );

  it('takes the warehouse URL from the environment, never from the file', () => {
    expect(resolveTarget(project, 'dev', { PGSHIFT_WAREHOUSE_URL: 'postgres://u:p@h/db' })).toMatchObject({
      type: 'postgres',
      schema: 'analytics',
      connectionString: 'postgres://u:p@h/db',
    });
    expect(() => resolveTarget(project, 'dev', {})).toThrow(
      "target dev: environment variable PGSHIFT_WAREHOUSE_URL is not set; set it to the warehouse's postgres:// URL",
    );
  });

  it('lets the Data API derive the database user from the IAM identity when no secret ARN or db_user is set', () => {
    expect(resolveTarget(project, 'prod', { AWS_REGION: 'eu-west-1' })).toMatchObject({
      type: 'redshift',
      workgroupName: 'wg',
      secretArn: undefined,
      dbUser: undefined,
    });
    expect(resolveTarget(project, 'prod', { PGSHIFT_REDSHIFT_SECRET_ARN: 'arn:secret', AWS_REGION: 'eu-west-1' })).toMatchObject({
      type: 'redshift',
      workgroupName: 'wg',
      database: 'analytics',
      secretArn: 'arn:secret',
      region: 'eu-west-1',
    });
  });

  it('never sends db_user for a Serverless workgroup', () => {
    expect((resolveTarget(project, 'prod', { PGSHIFT_REDSHIFT_DB_USER: 'loader' }) as RedshiftTarget).dbUser).toBeUndefined();
  });

  it('needs a COPY role for a Redshift target, from the file or the environment, an empty variable counting as unset', () => {
    expect(() => requireCopyRole(project, 'prod', {})).not.toThrow();
    expect(() => requireCopyRole(project, 'prod', { PGSHIFT_REDSHIFT_IAM_ROLE: '' })).not.toThrow();
    expect((resolveTarget(project, 'prod', { PGSHIFT_REDSHIFT_IAM_ROLE: ' ' }) as RedshiftTarget).iamRole).toBe('arn:aws:iam::1:role/copy');
    expect((resolveTarget(project, 'prod', { PGSHIFT_REDSHIFT_IAM_ROLE: 'arn:aws:iam::1:role/other' }) as RedshiftTarget).iamRole).toBe(
      'arn:aws:iam::1:role/other',
    );
    const roleless = parseProject(
      `${base}`.replace(
        'targets: { dev: { type: postgres } }',
        'targets:\n  dev: { type: postgres }\n  prod: { type: redshift, database: a, workgroup_name: wg }',
      ),
      'pgshift.yml',
    );
    expect(() => requireCopyRole(roleless, 'prod', {})).toThrow(
      'target prod: loading into Redshift needs an IAM role for COPY; set targets.prod.iam_role in pgshift.yml (or PGSHIFT_REDSHIFT_IAM_ROLE) to a role the warehouse can assume to read s3://b',
    );
    expect(() => requireCopyRole(roleless, 'prod', { PGSHIFT_REDSHIFT_IAM_ROLE: 'arn:aws:iam::1:role/copy' })).not.toThrow();
    // A PostgreSQL warehouse loads through pgshift itself, not COPY from S3.
    expect(() => requireCopyRole(roleless, 'dev', {})).not.toThrow();
  });

  it('refuses a prod target without PGSHIFT_PII_KEY, whatever its type', () => {
    expect(() => requirePiiKeyFor('prod', {})).toThrow(PII_KEY_MISSING_MESSAGE);
    expect(() => requirePiiKeyFor('prod', { PGSHIFT_PII_KEY: '  ' })).toThrow(PII_KEY_MISSING_MESSAGE);
    expect(() => requirePiiKeyFor('prod', { PGSHIFT_PII_KEY: 'k' })).not.toThrow();
    expect(() => requirePiiKeyFor('dev', {})).not.toThrow();
  });

  it('guesses no region: unset, it is left to the AWS SDK shared config', () => {
    expect((resolveTarget(project, 'prod', {}) as RedshiftTarget).region).toBeUndefined();
    expect((resolveTarget(project, 'prod', { AWS_DEFAULT_REGION: 'ap-south-1' }) as RedshiftTarget).region).toBe('ap-south-1');
  });

  it('takes COPY’s REGION from PGSHIFT_REDSHIFT_COPY_REGION', () => {
    expect((resolveTarget(project, 'prod', { PGSHIFT_REDSHIFT_COPY_REGION: 'us-west-2' }) as RedshiftTarget).copyRegion).toBe('us-west-2');
    expect((resolveTarget(project, 'prod', {}) as RedshiftTarget).copyRegion).toBeUndefined();
  });

  it('names the defined targets when --target is unknown', () => {
    expect(() => resolveTarget(project, 'staging', {})).toThrow('--target staging: no such target in pgshift.yml (defined: dev, prod)');
  });
});
