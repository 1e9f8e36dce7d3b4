// dbt's on-run-start and on-run-end hooks through the real CLI, on PostgreSQL and on Redshift
// (Data API emulator): an installed package's on-run-start creates the log table before the
// project's own hooks insert into it (packages' hooks run first, as in dbt); on-run-end sees
// `results` and `schemas` and runs after a failed model too; a failing on-run-start stops the
// run before any node, naming the hook. The hooks are results of run_results.json, named as dbt
// names them. `run-operation` runs a macro's run_query() in the warehouse.

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunResultsFile } from '../../src/run/run-results.js';
import { CLI_WAREHOUSES, projectTargets } from '../support/cli-warehouses.js';
import { runCli } from '../support/run-cli.js';
import { createTestBucket, createTestDatabase, type TestBucket, type TestDatabase, testS3Endpoint } from '../support/test-env.js';
import { testPool } from '../support/test-pool.js';

const CLI_TIMEOUT = 180_000;

const DBT_PROJECT = `name: hooks
on-run-start:
  - "insert into {{ target.schema }}.run_log (event, detail) values ('start', '{% if execute %}executing{% endif %} on {{ target.name }}')"
  - "{{ log_event('start macro') }}"
  - "{% if var('fail_start', false) %}select * from {{ target.schema }}.no_such_relation{% endif %}"
on-run-end:
  - >-
    insert into {{ target.schema }}.run_log (event, detail) values
    {% for result in results %}('result', '{{ result.node.name }}={{ result.status }}'),{% endfor %}
    ('end', '{{ results | length }} result(s) in {{ schemas | join(",") }}')
  - "{% for schema in schemas %}grant usage on schema {{ schema }} to {{ var('reader') }}; {% endfor %}grant select on all tables in schema {{ target.schema }} to {{ var('reader') }};"
`;

const FILES: Record<string, string> = {
  'dbt_project.yml': DBT_PROJECT,
  'packages.yml': 'packages:\n  - local: ../audit_pkg\n',
  'macros/log_event.sql': `{% macro log_event(event) %}insert into {{ target.schema }}.run_log (event, detail) values ('{{ event }}', 'from a macro'){% endmacro %}`,
  'macros/record_event.sql': `{% macro record_event(event) %}{% do run_query("insert into " ~ target.schema ~ ".run_log (event, detail) values ('" ~ event ~ "', 'run-operation')") %}{% endmacro %}`,
  'models/ok_model.sql': 'select 1 as id',
  'models/flaky_model.sql': `{% if var('break', false) %}select * from {{ target.schema }}.no_such_table{% else %}select 2 as id{% endif %}`,
};

const PACKAGE: Record<string, string> = {
  'dbt_project.yml': `name: audit_pkg
on-run-start: "create table if not exists {{ target.schema }}.run_log (event varchar(40), detail varchar(400))"
`,
};

const PROJECT = `name: hooks
staging: { bucket: BUCKET }
${projectTargets('hooks')}models: { +materialized: table }
`;

const WAREHOUSES = CLI_WAREHOUSES;

async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
}

describe.each(Object.entries(WAREHOUSES))('run hooks on %s', (_name, kind) => {
  let db: TestDatabase;
  let bucket: TestBucket;
  let admin: pg.Pool;
  let root: string;
  let dir: string;
  let env: Record<string, string>;
  let close: () => Promise<void>;

  const reader = `hooks_reader_${process.pid}`;
  const cli = (...args: string[]) => runCli(['--project-dir', dir, '--target', kind.target, ...args], env);
  /** Every build passes the role the last on-run-end hook grants to. */
  const build = (vars: Record<string, unknown> = {}) => cli('build', '--vars', JSON.stringify({ reader, ...vars }));
  const results = async () => (JSON.parse(await readFile(path.join(dir, 'target', 'run_results.json'), 'utf8')) as RunResultsFile).results;
  const statuses = async () => Object.fromEntries((await results()).map((result) => [result.unique_id, result.status]));
  const log = async () => (await admin.query<{ event: string; detail: string }>('select event, detail from analytics.run_log order by event, detail')).rows;
  const relationExists = async (name: string) =>
    (await admin.query(`select 1 from information_schema.tables where table_schema = 'analytics' and table_name = $1`, [name])).rowCount === 1;

  beforeAll(async () => {
    db = await createTestDatabase('run_hooks');
    bucket = await createTestBucket('run-hooks');
    admin = testPool({ connectionString: db.url, max: 1 });
    root = await mkdtemp(path.join(tmpdir(), 'pgshift-run-hooks-'));
    dir = path.join(root, 'project');
    await writeFiles(dir, { ...FILES, 'pgshift.yml': PROJECT.replace('BUCKET', bucket.bucket) });
    await writeFiles(path.join(root, 'audit_pkg'), PACKAGE);
    const started = await kind.start(db);
    close = started.close;
    env = { ...started.env, PGSHIFT_S3_ENDPOINT: testS3Endpoint(), AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' };
    await admin.query(`create role ${reader}`);
    const deps = await cli('deps');
    expect(deps.code, deps.stdout + deps.stderr).toBe(0);
  }, CLI_TIMEOUT);

  afterAll(async () => {
    await close?.();
    await admin?.query(`drop schema if exists analytics cascade; drop role if exists ${reader}`).catch(() => undefined);
    await admin?.end();
    await db?.drop();
    await bucket?.drop?.();
    await rm(root, { recursive: true, force: true });
  });

  beforeEach(async () => {
    await admin.query('drop schema if exists analytics cascade');
  });

  it(
    "runs the package's on-run-start, then the project's in order, the models, then on-run-end with results and schemas",
    async () => {
      const run = await build();
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(await log()).toEqual([
        { event: 'end', detail: '2 result(s) in analytics' },
        { event: 'result', detail: 'flaky_model=success' },
        { event: 'result', detail: 'ok_model=success' },
        { event: 'start', detail: `executing on ${kind.target}` },
        { event: 'start macro', detail: 'from a macro' },
      ]);
      expect(await statuses()).toEqual({
        'operation.audit_pkg.audit_pkg-on-run-start-0': 'success',
        'operation.hooks.hooks-on-run-start-0': 'success',
        'operation.hooks.hooks-on-run-start-1': 'success',
        'operation.hooks.hooks-on-run-start-2': 'success',
        'model.hooks.ok_model': 'success',
        'model.hooks.flaky_model': 'success',
        'operation.hooks.hooks-on-run-end-0': 'success',
        'operation.hooks.hooks-on-run-end-1': 'success',
      });
      // The second on-run-end hook renders several statements, as dbt's example does: all ran.
      const granted = await admin.query(
        `select has_schema_privilege($1, 'analytics', 'USAGE') as usage, has_table_privilege($1, 'analytics.ok_model', 'SELECT') as reads`,
        [reader],
      );
      expect(granted.rows).toEqual([{ usage: true, reads: true }]);
    },
    CLI_TIMEOUT,
  );

  it(
    'runs on-run-end after a model failed, with the failure among its results, and exits 1',
    async () => {
      const run = await build({ break: true });
      expect(run.code, run.stdout + run.stderr).toBe(1);
      const rows = await log();
      expect(rows.filter((row) => row.event === 'result')).toEqual([
        { event: 'result', detail: 'flaky_model=error' },
        { event: 'result', detail: 'ok_model=success' },
      ]);
      expect(rows.find((row) => row.event === 'end')).toEqual({ event: 'end', detail: '2 result(s) in analytics' });
      expect((await statuses())['operation.hooks.hooks-on-run-end-0']).toBe('success');
    },
    CLI_TIMEOUT,
  );

  it(
    'stops before any node when an on-run-start hook fails, naming the hook, and exits 1',
    async () => {
      const run = await build({ fail_start: true });
      expect(run.code, run.stdout + run.stderr).toBe(1);
      expect(run.stderr + run.stdout).toMatch(/on-run-start hook 3 \(dbt_project\.yml\): .*no_such_relation/);
      expect(await relationExists('ok_model')).toBe(false);
      expect((await log()).map((row) => row.event)).toEqual(['start', 'start macro']);
      const recorded = await statuses();
      expect(recorded['operation.hooks.hooks-on-run-start-2']).toBe('error');
      expect(recorded['model.hooks.ok_model']).toBe('skipped');
      expect(recorded['operation.hooks.hooks-on-run-end-0']).toBeUndefined();
    },
    CLI_TIMEOUT,
  );

  it(
    "runs a macro's statements with run-operation",
    async () => {
      // The build's hooks make the log table, as the warehouse's user; it is emptied for this test.
      expect((await build()).code).toBe(0);
      await admin.query('delete from analytics.run_log');
      const run = await cli('run-operation', 'record_event', '--args', '{event: by hand}');
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(await log()).toEqual([{ event: 'by hand', detail: 'run-operation' }]);
    },
    CLI_TIMEOUT,
  );
});
