// dbt's model contracts on both warehouses: a contracted model is checked against its declared
// columns before anything of it is written, then built with the declared types and constraints.
// PostgreSQL enforces every constraint; Redshift (here its Data API emulator) enforces NOT NULL,
// keeps PRIMARY KEY and UNIQUE as information and has no CHECK.

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getPostgresConn } from '../../src/connections.js';
import type { ModelNode } from '../../src/manifest/manifest.js';
import { ContractError, materialize } from '../../src/run/materializations/index.js';
import type { RunResultsFile } from '../../src/run/run-results.js';
import { PostgresWarehouse } from '../../src/warehouse/postgres-warehouse.js';
import { RedshiftDataWarehouse } from '../../src/warehouse/redshift-data-warehouse.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { startRedshiftEmulator } from '../support/redshift-emulator/index.js';
import { runCli } from '../support/run-cli.js';
import { createTestDatabase, type TestDatabase, testS3Endpoint } from '../support/test-env.js';
import { testPool } from '../support/test-pool.js';
import { bareProject, compile, nodeNamed } from '../unit/compile-fixture.js';

const schemaYml = (materialized: string) => `
models:
  - name: customers
    config:
      materialized: ${materialized}
      on_schema_change: fail
      contract: { enforced: true }
    constraints:
      - type: check
        expression: "lifetime_value >= 0"
    columns:
      - name: customer_id
        data_type: int
        constraints: [{ type: not_null }, { type: primary_key }]
      - name: email
        data_type: varchar(200)
        constraints: [{ type: not_null }]
      - name: lifetime_value
        data_type: numeric(12,2)
`;
// The query's own types differ in spelling and size only: text for varchar(200), numeric for numeric(12,2).
const MATCHING = "select 1 as customer_id, 'a@example.com'::text as email, 12.5::numeric as lifetime_value";
const CLI_TIMEOUT = 180_000;
const MISMATCHING = "select 7::bigint as customer_id, 'b@example.com'::text as email, 'gold'::text as tier";

interface Setup {
  warehouse: Warehouse;
  db: pg.Pool;
  dialect: 'postgres' | 'redshift';
  close(): Promise<void>;
}

async function contractedModel(dialect: 'postgres' | 'redshift', materialized = 'table', schema = schemaYml(materialized)): Promise<ModelNode> {
  const files = await bareProject({ 'models/customers.sql': MATCHING }, { schemaFiles: { 'models/schema.yml': schema } });
  return nodeNamed(compile(files, dialect), 'customers') as ModelNode;
}

function contractSuite(name: string, open: () => Promise<Setup>) {
  describe(`model contracts on ${name}`, () => {
    let setup: Setup;
    const rows = async <T = Record<string, unknown>>(sql: string): Promise<T[]> => (await setup.db.query(sql)).rows as T[];
    const build = (node: ModelNode, sql: string) => materialize(setup.warehouse, node, sql, { fullRefresh: false });
    const customers = () => rows<{ customer_id: number; email: string }>('select customer_id, email from analytics.customers order by customer_id');
    const helpers = async () =>
      (
        await rows<{ relname: string }>(
          `select relname from pg_class c join pg_namespace n on n.oid = c.relnamespace where nspname = 'analytics' and relname like '%pgshift%'`,
        )
      ).map((row) => row.relname);

    beforeAll(async () => {
      setup = await open();
    });
    afterAll(async () => {
      await setup?.close();
    });
    beforeEach(async () => {
      await setup.db.query('drop schema if exists analytics cascade');
    });

    it('builds a matching model as a table with the declared types and constraints', async () => {
      const node = await contractedModel(setup.dialect);
      const result = await build(node, MATCHING);
      expect(result.published).toBe(true);
      const columns = (await setup.warehouse.describeTable('analytics', 'customers'))?.map((column) => `${column.name} ${column.type}`);
      expect(columns).toEqual(['customer_id integer', 'email character varying(200)', 'lifetime_value numeric(12,2)']);
      // NOT NULL is enforced on both warehouses.
      await expect(setup.warehouse.execute('insert into analytics.customers values (2, null, 1)')).rejects.toThrow(/null/i);
      const kinds = await rows<{ conname: string; contype: string }>(
        "select conname, contype from pg_constraint where conrelid = 'analytics.customers'::regclass order by contype",
      );
      if (setup.dialect === 'postgres') {
        // Named after the model, not the temporary table (whose key index the next build would collide with).
        expect(kinds).toEqual([
          { conname: 'customers_check', contype: 'c' },
          { conname: 'customers_pkey', contype: 'p' },
        ]);
        await expect(setup.warehouse.execute("insert into analytics.customers values (2, 'x@example.com', -1)")).rejects.toThrow(/check constraint/);
      } else {
        // The primary key is declared (informational on Redshift); the CHECK was left out, so a negative value goes in.
        expect(kinds).toEqual([{ conname: 'customers_pkey', contype: 'p' }]);
        await setup.warehouse.execute("insert into analytics.customers values (2, 'x@example.com', -1)");
      }
    });

    it('fails a mismatching model before writing it, listing each column, and leaves the previous table', async () => {
      const node = await contractedModel(setup.dialect);
      await build(node, MATCHING);
      const failure = build(node, MISMATCHING);
      await expect(failure).rejects.toBeInstanceOf(ContractError);
      await expect(failure).rejects.toThrow(
        'model.shop.customers: the query does not match its enforced contract (models/schema.yml): customer_id is bigint in the query but int in the contract; ' +
          'lifetime_value (numeric(12,2)) is declared but missing in the query; tier (text) is in the query but not in the contract',
      );
      expect(await customers()).toEqual([{ customer_id: 1, email: 'a@example.com' }]);
      expect(await helpers()).toEqual([]);
    });

    it('checks every increment of an incremental model and leaves the table as it was when one does not match', async () => {
      const node = await contractedModel(setup.dialect, 'incremental');
      await build(node, MATCHING);
      await build(node, MATCHING.replace('1 as customer_id', '2 as customer_id'));
      await expect(build(node, MISMATCHING)).rejects.toThrow(/customer_id is bigint in the query but int in the contract/);
      expect((await customers()).map((row) => row.customer_id)).toEqual([1, 2]);
      expect(await helpers()).toEqual([]);
    });

    it('adds a column the contract gains to an incremental table with its declared type (append_new_columns)', async () => {
      const appending = schemaYml('incremental').replace('on_schema_change: fail', 'on_schema_change: append_new_columns');
      await build(await contractedModel(setup.dialect, 'incremental', appending), MATCHING);
      const grown = await contractedModel(setup.dialect, 'incremental', `${appending}      - name: tier\n        data_type: varchar(20)\n`);
      await build(grown, MATCHING.replace('1 as customer_id', '2 as customer_id').replace(' as lifetime_value', " as lifetime_value, 'gold'::text as tier"));
      const columns = (await setup.warehouse.describeTable('analytics', 'customers'))?.map((column) => `${column.name} ${column.type}`);
      expect(columns).toContain('tier character varying(20)');
      expect((await rows<{ tier: string | null }>('select tier from analytics.customers order by customer_id')).map((row) => row.tier)).toEqual([null, 'gold']);
    });

    it('checks a view by names and types only, and creates no view when they differ', async () => {
      const node = await contractedModel(setup.dialect, 'view');
      await build(node, MATCHING);
      expect(await customers()).toEqual([{ customer_id: 1, email: 'a@example.com' }]);
      await setup.db.query('drop view analytics.customers');
      await expect(build(node, MISMATCHING)).rejects.toBeInstanceOf(ContractError);
      expect(await setup.warehouse.describeTable('analytics', 'customers')).toBeUndefined();
    });

    it('accepts a CHECK constraint in CREATE TABLE only where the warehouse has it', async () => {
      await setup.db.query('create schema analytics');
      const create = setup.warehouse.execute('create table analytics.checked (a int check (a > 0))');
      if (setup.dialect === 'postgres') await create;
      else await expect(create).rejects.toThrow(/syntax error at or near "check"/);
    });
  });
}

contractSuite('PostgreSQL', async () => {
  const database: TestDatabase = await createTestDatabase('model_contracts');
  const db = testPool({ connectionString: database.url, max: 2 });
  const warehouse = new PostgresWarehouse(getPostgresConn({ connectionString: database.url }), () => {
    throw new Error('no s3');
  });
  return {
    warehouse,
    db,
    dialect: 'postgres',
    close: async () => {
      await warehouse.close();
      await db.end();
      await database.drop();
    },
  };
});

contractSuite('Redshift (Data API emulator)', async () => {
  const database: TestDatabase = await createTestDatabase('model_contracts_redshift');
  const emulator = await startRedshiftEmulator({ postgresUrl: database.url, s3Endpoint: testS3Endpoint() });
  const db = testPool({ connectionString: database.url, options: emulator.connectionOptions, max: 2 });
  const client = new RedshiftDataClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const warehouse = new RedshiftDataWarehouse(
    {
      name: 'emulated',
      type: 'redshift',
      schema: 'analytics',
      database: 'dev',
      clusterIdentifier: 'emulated-cluster',
      dbUser: 'transformer',
      region: 'us-east-1',
      endpoint: emulator.endpoint,
      statementTimeoutMs: 30_000,
    },
    client,
    { pollInitialMs: 5 },
  );
  return {
    warehouse,
    db,
    dialect: 'redshift',
    close: async () => {
      await warehouse.close();
      await emulator.close();
      await db.end();
      await database.drop();
    },
  };
});

describe('model contracts at compile time', () => {
  it('refuses an ephemeral model with an enforced contract before anything runs', async () => {
    await expect(contractedModel('postgres', 'ephemeral')).rejects.toThrow(/an ephemeral model has none/);
  });
});

describe('model contracts through the CLI on PostgreSQL', () => {
  let db: TestDatabase;
  let admin: pg.Pool;
  let dir: string;
  const env = () => ({ PGSHIFT_WAREHOUSE_URL: db.url });
  const cli = (...args: string[]) => runCli(['--project-dir', dir, ...args], env());
  const write = async (file: string, text: string) => {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  };

  beforeAll(async () => {
    db = await createTestDatabase('model_contracts_cli');
    admin = testPool({ connectionString: db.url, max: 1 });
    dir = await mkdtemp(path.join(tmpdir(), 'pgshift-contracts-'));
    await write(
      'pgshift.yml',
      'name: shop\nstaging: { bucket: unused }\ntargets:\n  dev: { type: postgres, schema: analytics, connection_env: PGSHIFT_WAREHOUSE_URL }\n',
    );
    await write('models/schema.yml', schemaYml('table'));
  });

  afterAll(async () => {
    await admin?.end();
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it(
    'builds the model, then fails a run whose query broke the contract, recording why, with the table as it was',
    async () => {
      await write('models/customers.sql', MATCHING);
      const first = await cli('run');
      expect(first.code, first.stdout + first.stderr).toBe(0);
      await write('models/customers.sql', MISMATCHING);
      const second = await cli('run');
      expect(second.code).not.toBe(0);
      const results = (JSON.parse(await readFile(path.join(dir, 'target', 'run_results.json'), 'utf8')) as RunResultsFile).results;
      expect(results).toEqual([
        expect.objectContaining({
          unique_id: 'model.shop.customers',
          status: 'error',
          message: expect.stringContaining('customer_id is bigint in the query but int in the contract'),
        }),
      ]);
      expect((await admin.query('select customer_id, email from analytics.customers')).rows).toEqual([{ customer_id: 1, email: 'a@example.com' }]);
    },
    CLI_TIMEOUT,
  );

  it(
    'refuses to compile an ephemeral model with an enforced contract',
    async () => {
      await write('models/schema.yml', schemaYml('ephemeral'));
      const compiled = await cli('compile');
      expect(compiled.code).not.toBe(0);
      expect(compiled.stderr).toContain('model.shop.customers: an enforced contract needs a relation to check, and an ephemeral model has none');
    },
    CLI_TIMEOUT,
  );
});
