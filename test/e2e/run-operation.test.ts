// `pgshift run-operation` as a user runs it: a project macro called with --args runs its
// statements in the warehouse (a schema created, usage granted to a role), its log() line is
// logged and what it returns printed; a package's macro is called as `package.macro`; an
// unknown macro is one line with a did-you-mean, before any connection; a warehouse error
// exits 1.

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrdersCliProject, type OrdersCliProject } from '../support/orders-cli-project.js';
import { queryDatabase } from '../support/query-database.js';
import { runCli } from '../support/run-cli.js';

const ROLE = `op_reader_${process.pid}`;

const GRANT_MACRO = `{% macro grant_usage(schema, role) %}
  {% do run_query('create schema if not exists ' ~ adapter.quote(schema)) %}
  {% do run_query('grant usage on schema ' ~ adapter.quote(schema) ~ ' to ' ~ adapter.quote(role)) %}
  {% do log('granted usage on ' ~ schema ~ ' to ' ~ role) %}
  {{ return([schema, role]) }}
{% endmacro %}
`;

describe('pgshift run-operation', () => {
  let project: OrdersCliProject;
  const write = async (file: string, text: string) => {
    await mkdir(path.dirname(path.join(project.projectDir, file)), { recursive: true });
    await writeFile(path.join(project.projectDir, file), text);
  };
  const cli = (...args: string[]) => runCli(args, project.env);

  beforeAll(async () => {
    project = await createOrdersCliProject('run_operation');
    await write('macros/grant_usage.sql', GRANT_MACRO);
    await write('packages.yml', 'packages:\n  - local: ./local_pkg\n');
    await write('local_pkg/dbt_project.yml', 'name: ops\n');
    await write(
      'local_pkg/macros/row_count.sql',
      `{% macro count_rows(relation) %}{{ return(run_query('select count(*) from ' ~ relation).columns[0].values()[0]) }}{% endmacro %}`,
    );
    const deps = await cli('deps');
    expect(deps.code, deps.stderr).toBe(0);
    await queryDatabase(project.warehouse.url, `create role ${ROLE}`);
  }, 120_000);

  afterAll(async () => {
    if (project) {
      await queryDatabase(project.warehouse.url, `drop schema if exists reporting cascade; drop owned by ${ROLE}; drop role if exists ${ROLE}`).catch(
        () => undefined,
      );
      await project.close();
    }
  });

  it('calls the macro with --args: its statements run in the warehouse, its log line shows, its return value is printed', async () => {
    const result = await cli('run-operation', 'grant_usage', '--args', `{schema: reporting, role: ${ROLE}}`);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`granted usage on reporting to ${ROLE}`);
    expect(result.stdout.trim()).toBe(`['reporting', '${ROLE}']`);
    const granted = await queryDatabase(project.warehouse.url, `select has_schema_privilege('${ROLE}', 'reporting', 'USAGE') as usage`);
    expect(granted).toEqual([{ usage: true }]);
  });

  it("calls a package's macro through the package name", async () => {
    await queryDatabase(project.warehouse.url, 'create table if not exists reporting.three as select generate_series(1, 3) as n');
    const result = await cli('run-operation', 'ops.count_rows', '--args', '{relation: reporting.three}');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe('3');
  });

  it('names an unknown macro in one line with a did-you-mean', async () => {
    const result = await cli('run-operation', 'grant_usag');
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe("error: run-operation: no macro named 'grant_usag' in the project or its packages; did you mean 'grant_usage'?");
  });

  it('refuses --args that are not a mapping, naming the flag', async () => {
    const result = await cli('run-operation', 'grant_usage', '--args', '[reporting]');
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(`error: --args must be a mapping of the macro's arguments, such as '{role: reporter}', got "[reporting]"`);
  });

  it('exits 1 with the warehouse error when a statement of the macro fails', async () => {
    const result = await cli('run-operation', 'grant_usage', '--args', '{schema: reporting, role: no_such_role_here}');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no_such_role_here');
  });
});
