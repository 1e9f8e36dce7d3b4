// Bad input met at the command line: one line naming the flag, key or file and what to do, exit
// 1, and nothing touched first. The shop project and a throwaway one; no database is reached.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PII_KEY_MISSING_MESSAGE } from '../../src/config/pii-key-policy.js';
import { runCli } from '../support/run-cli.js';
import { createTestDatabase, type TestDatabase } from '../support/test-env.js';

const REPO = path.resolve('.');
// Port 1 refuses connections: a command that got as far as the source would fail differently.
const NOTHING_REACHABLE = {
  PGSHIFT_PROJECT_DIR: REPO,
  PGSHIFT_WAREHOUSE_URL: 'postgres://postgres@127.0.0.1:1/none',
  PGSHIFT_SOURCE_URL: 'postgres://postgres@127.0.0.1:1/none',
  PGSHIFT_REDSHIFT_SECRET_ARN: '',
  PGSHIFT_REDSHIFT_IAM_ROLE: '',
  PGSHIFT_PII_KEY: '',
  AWS_ACCESS_KEY_ID: '',
  AWS_SECRET_ACCESS_KEY: '',
};

describe('date flags', () => {
  it('refuses a day the calendar does not have instead of processing the day it rolls over to', async () => {
    const run = await runCli(['run', '--date', '2026-02-30'], NOTHING_REACHABLE);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('error: --date 2026-02-30: 2026-02-30 is not a day of the calendar; give a real date as YYYY-MM-DD\n');
    const extract = await runCli(['extract', '--start', '2026-11-31', '--end', '2026-12-01'], NOTHING_REACHABLE);
    expect(extract.code).toBe(1);
    expect(extract.stderr).toBe('error: --start 2026-11-31: 2026-11-31 is not a day of the calendar; give a real date as YYYY-MM-DD\n');
  });

  it('refuses an interval that has not ended unless --allow-open-interval is given', async () => {
    // A day far ahead, so the test never depends on the clock passing midnight while it runs.
    const run = await runCli(['load', '--date', '2999-12-31'], NOTHING_REACHABLE);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^error: --date 2999-12-31: the interval \[2999-12-31T00:00:00\.000Z, 3000-01-01T00:00:00\.000Z\) has not ended yet \(now [^)]+\); pick an interval in the past, or pass --allow-open-interval to process it while rows may still arrive\n$/,
    );
    const targetPath = await mkdtemp(path.join(tmpdir(), 'pgshift-open-interval-'));
    try {
      const compile = await runCli(['compile', '--date', '2999-12-31', '--allow-open-interval', '--target-path', targetPath], NOTHING_REACHABLE);
      expect(compile.code, compile.stderr).toBe(0);
    } finally {
      await rm(targetPath, { recursive: true, force: true });
    }
  });
});

describe('a prod target without PGSHIFT_PII_KEY', () => {
  // Each would otherwise hash secret columns (or build models) with the public development key.
  it.each([['extract'], ['load'], ['run'], ['build'], ['compile'], ['ls'], ['report'], ['freshness'], ['access']])(
    'is refused by %s before it starts',
    async (command) => {
      const result = await runCli(['--target', 'prod', command], NOTHING_REACHABLE);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`error: ${PII_KEY_MISSING_MESSAGE}\n`);
    },
  );
});

describe('a Redshift target without an IAM role for COPY', () => {
  let projectDir: string;

  beforeAll(async () => {
    projectDir = await mkdtemp(path.join(tmpdir(), 'pgshift-no-role-'));
    await writeFile(
      path.join(projectDir, 'pgshift.yml'),
      `name: no_role
target: prod
staging: { bucket: no-role-staging }
targets:
  prod: { type: redshift, schema: analytics, database: analytics, workgroup_name: shop }
sources:
  shop:
    tables:
      orders: { primary_key: id, cursor: updated_at }
`,
    );
  });

  afterAll(async () => {
    await rm(projectDir, { recursive: true, force: true });
  });

  it('lets a dry-run extract through: it uploads nothing a COPY would read', async () => {
    const result = await runCli(['--target', 'prod', 'extract', '--date', '2026-11-23', '--dry-run'], {
      ...NOTHING_REACHABLE,
      PGSHIFT_PROJECT_DIR: projectDir,
      PGSHIFT_PII_KEY: 'a-production-key',
    });
    // It gets as far as the source, which refuses the connection.
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /\nerror: shop\.orders: extract failed during connect: source shop: cannot connect with PGSHIFT_SOURCE_URL: connect ECONNREFUSED 127\.0\.0\.1:1\n$/,
    );
  });

  it.each([['extract'], ['load'], ['run']])('is refused by %s before any source is read', async (command) => {
    const result = await runCli(['--target', 'prod', command, '--date', '2026-11-23'], {
      ...NOTHING_REACHABLE,
      PGSHIFT_PROJECT_DIR: projectDir,
      PGSHIFT_PII_KEY: 'a-production-key',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `error: target prod: loading into Redshift needs an IAM role for COPY; set targets.prod.iam_role in ${path.join(projectDir, 'pgshift.yml')} (or PGSHIFT_REDSHIFT_IAM_ROLE) to a role the warehouse can assume to read s3://no-role-staging\n`,
    );
  });
});

describe('a YAML quote left open', () => {
  it('is reported at the line that opened it', async () => {
    const projectDir = await mkdtemp(path.join(tmpdir(), 'pgshift-open-quote-'));
    try {
      const lines = [
        'name: open_quote',
        'target: dev',
        'staging:',
        '  bucket: "open-quote-staging',
        '  prefix: pgshift',
        'targets:',
        '  dev: { type: postgres }',
      ];
      await writeFile(path.join(projectDir, 'pgshift.yml'), `${lines.join('\n')}\n`);
      const result = await runCli(['ls'], { ...NOTHING_REACHABLE, PGSHIFT_PROJECT_DIR: projectDir });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `error: ${path.join(projectDir, 'pgshift.yml')}:4: invalid YAML: the " opened on line 4 is never closed; end the value with " on that line (the parser gave up at line 5, column 3)\n`,
      );
    } finally {
      await rm(projectDir, { recursive: true, force: true });
    }
  });
});

describe('a generic test on a column the model does not output', () => {
  let warehouse: TestDatabase;
  let projectDir: string;

  beforeAll(async () => {
    warehouse = await createTestDatabase('cli_test_column');
    projectDir = await mkdtemp(path.join(tmpdir(), 'pgshift-test-column-'));
    await writeFile(
      path.join(projectDir, 'pgshift.yml'),
      'name: test_column\ntarget: dev\nstaging: { bucket: test-column }\ntargets:\n  dev: { type: postgres, schema: analytics }\nsources: {}\n',
    );
    await mkdir(path.join(projectDir, 'models'));
    await writeFile(path.join(projectDir, 'models', 'customers.sql'), "select 1 as customer_id, 'a@example.com' as email\n");
    await writeFile(
      path.join(projectDir, 'models', 'schema.yml'),
      'version: 2\nmodels:\n  - name: customers\n    columns:\n      - name: customer_id\n        data_tests: [not_null]\n      - name: emial\n        data_tests: [not_null]\n',
    );
  });

  afterAll(async () => {
    await warehouse?.drop();
    await rm(projectDir, { recursive: true, force: true });
  });

  it('fails that test naming the schema.yml file and the column, does not publish the model it could not vouch for, and exits 1', async () => {
    const result = await runCli(['build'], { ...NOTHING_REACHABLE, PGSHIFT_PROJECT_DIR: projectDir, PGSHIFT_WAREHOUSE_URL: warehouse.url });
    expect(result.code).toBe(1);
    const failed = result.stderr.split('\n').filter((line) => /ERROR test /.test(line));
    expect(failed).toEqual([
      expect.stringContaining(
        "ERROR test not_null_customers_emial: models/schema.yml: test not_null_customers_emial checks column 'emial', which model customers does not have (analytics.customers has customer_id, email); fix the column name in models/schema.yml",
      ),
    ]);
    expect(result.stderr).toMatch(
      /ERROR model customers: built, not published: not_null_customers_emial errored; readers see no version of it until it passes/,
    );
    expect(result.stderr).toMatch(/PASS=1 WARN=0 ERROR=2/);
  });
});

describe('a template that does not compile', () => {
  let projectDir: string;

  beforeAll(async () => {
    projectDir = await mkdtemp(path.join(tmpdir(), 'pgshift-template-'));
    await writeFile(
      path.join(projectDir, 'pgshift.yml'),
      'name: templates\ntarget: dev\nstaging: { bucket: templates }\ntargets:\n  dev: { type: postgres }\nsources: {}\n',
    );
    await mkdir(path.join(projectDir, 'models'));
    await mkdir(path.join(projectDir, 'macros'));
    await writeFile(
      path.join(projectDir, 'macros', 'cents.sql'),
      "-- money helpers\n{% macro cents(column) %}\n  {{ exceptions.raise_compiler_error('cents: ' ~ column ~ ' is text') }}\n{% endmacro %}\n",
    );
  });

  afterAll(async () => {
    await rm(projectDir, { recursive: true, force: true });
  });

  const compile = async (model: string) => {
    await writeFile(path.join(projectDir, 'models', 'orders.sql'), model);
    return runCli(['compile'], { ...NOTHING_REACHABLE, PGSHIFT_PROJECT_DIR: projectDir });
  };

  it('names file:line and what the parser expected', async () => {
    const result = await compile("select\n  {{ cents('amount' 'x') }}\n");
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("error: models/orders.sql:2: syntax error in an argument list: expected ',' between arguments or ')' to close it\n");
  });

  it('names the macro, its file and line, after the calling model', async () => {
    const result = await compile("select\n\n  {{ cents('amount') }}\n");
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('error: models/orders.sql:3: cents: amount is text (in macro cents, macros/cents.sql:3)\n');
  });
});
