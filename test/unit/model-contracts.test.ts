// dbt's model contracts, the pure parts: which types count as the same, how a mismatch reads,
// the DDL each warehouse gets, and what compiling a contracted model keeps or refuses.

import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import type { ModelNode } from '../../src/manifest/manifest.js';
import { contractTableDdl } from '../../src/run/materializations/contract-ddl.js';
import { compareWithContract, contractMismatchMessage, typeFamily } from '../../src/run/materializations/contract-types.js';
import { buildTarget } from '../../src/run/materializations/build-target.js';
import { bareProject, compile, nodeNamed, pgshiftYml } from './compile-fixture.js';

const SCHEMA = `
models:
  - name: customers
    config:
      materialized: table
      contract: { enforced: true }
    constraints:
      - type: check
        expression: "lifetime_value >= 0"
        name: positive_value
    columns:
      - name: customer_id
        data_type: int
        constraints: [{ type: not_null }, { type: primary_key }]
      - name: email
        data_type: varchar(200)
        constraints: [{ type: unique }]
      - name: lifetime_value
        data_type: numeric(12,2)
`;
const SQL = "select 1 as customer_id, 'a@example.com'::text as email, 12.5 as lifetime_value";

const compiled = async (schema = SCHEMA, sql = SQL, type: 'postgres' | 'redshift' = 'postgres') =>
  nodeNamed(compile(await bareProject({ 'models/customers.sql': sql }, { schemaFiles: { 'models/schema.yml': schema } }), type), 'customers') as ModelNode;

describe('contract types', () => {
  it('treats the spellings of one type as the same, and ignores size, precision and scale as dbt does', () => {
    expect(['int', 'INTEGER', 'int4'].map(typeFamily)).toEqual(['integer', 'integer', 'integer']);
    expect(['text', 'varchar', 'character varying(80)', 'VARCHAR(256)', 'string'].map(typeFamily)).toEqual(Array(5).fill('text'));
    expect(['numeric(10,2)', 'decimal', 'numeric'].map(typeFamily)).toEqual(['numeric', 'numeric', 'numeric']);
    expect(['timestamp', 'timestamp without time zone'].map(typeFamily)).toEqual(['timestamp', 'timestamp']);
    expect(typeFamily('timestamptz')).toBe(typeFamily('timestamp with time zone'));
    expect(typeFamily('bigint')).not.toBe(typeFamily('integer'));
    expect(typeFamily('float8')).toBe('double precision');
  });

  it('lists every column that is missing, extra or of another type, in one line that says what to change', () => {
    const mismatches = compareWithContract(
      [
        { name: 'customer_id', dataType: 'int' },
        { name: 'email', dataType: 'text' },
        { name: 'signed_up', dataType: 'date' },
      ],
      [
        { name: 'email', type: 'character varying(80)' },
        { name: 'customer_id', type: 'bigint' },
        { name: 'country', type: 'text' },
      ],
    );
    expect(mismatches).toEqual([
      { column: 'customer_id', reason: 'type mismatch', declared: 'int', actual: 'bigint' },
      { column: 'signed_up', reason: 'missing in the query', declared: 'date' },
      { column: 'country', reason: 'not in the contract', actual: 'text' },
    ]);
    expect(contractMismatchMessage('model.shop.customers', 'models/schema.yml', mismatches)).toBe(
      'model.shop.customers: the query does not match its enforced contract (models/schema.yml): ' +
        'customer_id is bigint in the query but int in the contract; signed_up (date) is declared but missing in the query; ' +
        "country (text) is in the query but not in the contract; change the select or the columns' name and data_type in models/schema.yml",
    );
  });

  it('finds nothing when the names match in any order and the types are spelled differently', () => {
    expect(
      compareWithContract(
        [
          { name: 'a', dataType: 'int' },
          { name: 'b', dataType: 'varchar(10)' },
        ],
        [
          { name: 'b', type: 'text' },
          { name: 'a', type: 'integer' },
        ],
      ),
    ).toEqual([]);
  });
});

describe('contract DDL', () => {
  it("creates the table with the declared types and constraints on PostgreSQL, inserts by name, and adds the keys under the model's name", async () => {
    const node = await compiled();
    const target = buildTarget('postgres', node, node.compiled_code);
    const ddl = contractTableDdl(target, target.contract!, 'customers__pgshift_tmp');
    expect(ddl.create).toBe(
      [
        'create table "analytics"."customers__pgshift_tmp" (',
        '  "customer_id" int not null,',
        '  "email" varchar(200),',
        '  "lifetime_value" numeric(12,2),',
        '  constraint "positive_value" check (lifetime_value >= 0)',
        ')',
      ].join('\n'),
    );
    expect(ddl.afterSwap).toEqual([
      'alter table "analytics"."customers" add primary key ("customer_id")',
      'alter table "analytics"."customers" add unique ("email")',
    ]);
    expect(ddl.insert).toBe(
      `insert into "analytics"."customers__pgshift_tmp" ("customer_id", "email", "lifetime_value")\nselect "customer_id", "email", "lifetime_value" from (\n${SQL}\n) as "pgshift_contract_query"`,
    );
    expect(ddl.warnings).toEqual([]);
  });

  it('leaves CHECK out on Redshift and says that PRIMARY KEY and UNIQUE are informational there', async () => {
    const node = await compiled(SCHEMA, SQL, 'redshift');
    const target = buildTarget('redshift', node, node.compiled_code);
    const ddl = contractTableDdl(target, target.contract!, 'customers__pgshift_tmp');
    expect(ddl.create).not.toContain('check');
    expect(ddl.create).toContain('"customer_id" int not null,');
    expect(ddl.afterSwap).toEqual([
      'alter table "analytics"."customers" add primary key ("customer_id")',
      'alter table "analytics"."customers" add unique ("email")',
    ]);
    expect(ddl.warnings).toEqual([
      'model.shop.customers: the primary_key constraint on column customer_id is informational on Redshift, not enforced',
      'model.shop.customers: the unique constraint on column email is informational on Redshift, not enforced',
      'model.shop.customers: the check constraint on the model is not supported by Redshift and is left out',
    ]);
  });

  it('puts the Redshift table attributes after the column list', async () => {
    const node = await compiled(SCHEMA.replace('materialized: table', 'materialized: table\n      dist: customer_id\n      sort: [email]'), SQL, 'redshift');
    const target = buildTarget('redshift', node, node.compiled_code);
    expect(contractTableDdl(target, target.contract!, 't').create).toMatch(/\n\) diststyle key distkey \("customer_id"\) compound sortkey \("email"\)$/);
  });

  it("turns dbt's string alias into text unless alias_types is false", async () => {
    const schema = SCHEMA.replace('data_type: varchar(200)', 'data_type: string');
    const ddlOf = (node: ModelNode) => {
      const target = buildTarget('postgres', node, SQL);
      return contractTableDdl(target, target.contract!, 't').create;
    };
    expect(ddlOf(await compiled(schema))).toContain('"email" text,');
    expect(ddlOf(await compiled(schema.replace('contract: { enforced: true }', 'contract: { enforced: true, alias_types: false }')))).toContain(
      '"email" string,',
    );
  });
});

describe('compiling a contracted model', () => {
  it("keeps dbt's manifest fields: config.contract, contract with its checksum, constraints on the node and its columns", async () => {
    const node = await compiled();
    expect(node.config.contract).toEqual({ enforced: true, alias_types: true });
    expect(node.contract).toEqual({ enforced: true, alias_types: true, checksum: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(node.constraints).toEqual([
      {
        type: 'check',
        name: 'positive_value',
        expression: 'lifetime_value >= 0',
        warn_unenforced: true,
        warn_unsupported: true,
        to: null,
        to_columns: [],
        columns: [],
      },
    ]);
    expect(node.columns.customer_id!.constraints.map((constraint) => constraint.type)).toEqual(['not_null', 'primary_key']);
    const changed = await compiled(SCHEMA.replace('data_type: numeric(12,2)', 'data_type: numeric(14,2)'));
    expect(changed.contract.checksum).not.toBe(node.contract.checksum);
  });

  it('takes the contract from config() in the model file as well', async () => {
    const schema = SCHEMA.replace('      contract: { enforced: true }\n', '');
    const node = await compiled(schema, `{{ config(contract={'enforced': true}) }}\n${SQL}`);
    expect(node.contract.enforced).toBe(true);
    const none = await compiled(schema);
    expect(none.contract).toEqual({ enforced: false, alias_types: true, checksum: null });
  });

  it('takes +contract from a folder config, as dbt_project.yml writes it, merged key by key with schema.yml', async () => {
    const schema = SCHEMA.replace('contract: { enforced: true }', 'contract: { alias_types: false }');
    const files = await bareProject(
      { 'models/customers.sql': SQL },
      { schemaFiles: { 'models/schema.yml': schema }, pgshiftYml: pgshiftYml('models:\n  +contract: { enforced: true }\n') },
    );
    expect((nodeNamed(compile(files), 'customers') as ModelNode).config.contract).toEqual({ enforced: true, alias_types: false });
  });

  it('refuses an ephemeral model with an enforced contract, as dbt does', async () => {
    await expect(compiled(SCHEMA.replace('materialized: table', 'materialized: ephemeral'))).rejects.toThrow(
      /model\.shop\.customers: an enforced contract needs a relation to check, and an ephemeral model has none/,
    );
  });

  it('refuses a contracted column without data_type, naming it and the schema file', async () => {
    const refused = compiled(SCHEMA.replace('        data_type: varchar(200)\n', ''));
    await expect(refused).rejects.toBeInstanceOf(ConfigError);
    await expect(refused).rejects.toThrow('models/schema.yml: model.shop.customers enforces its contract, so every column needs data_type; missing for email');
  });

  it('refuses an incremental contracted model unless on_schema_change is append_new_columns or fail', async () => {
    await expect(compiled(SCHEMA.replace('materialized: table', 'materialized: incremental'))).rejects.toThrow(/on_schema_change is ignore/);
    const node = await compiled(SCHEMA.replace('materialized: table', 'materialized: incremental\n      on_schema_change: fail'));
    expect(node.contract.enforced).toBe(true);
  });

  it('refuses a constraint over a column the contract does not declare', async () => {
    const schema = SCHEMA.replace('expression: "lifetime_value >= 0"', 'expression: "x > 0"\n        columns: [nope]');
    await expect(compiled(schema)).rejects.toThrow(/the check constraint names nope, which the contract does not declare/);
  });
});
