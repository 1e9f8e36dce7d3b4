// Governance as a pure function: declared roles and model grants, expanded against a catalog
// snapshot, diffed into GRANT/REVOKE/CREATE ROLE statements. The full plan for one scenario is
// golden per warehouse under test/goldens/governance/<dialect>.sql (UPDATE_GOLDENS=1 rewrites).

import { readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseProject } from '../../src/config/load-project.js';
import { buildGrantPolicy, grantPolicyForRun, type GrantableNode, type GrantPolicy } from '../../src/governance/grant-policy.js';
import type { GrantSnapshot } from '../../src/governance/grant-state.js';
import { desiredGrants } from '../../src/governance/desired-grants.js';
import { planGrants } from '../../src/governance/grants-plan.js';
import { reconcileGrants } from '../../src/governance/reconcile-grants.js';
import { resolveGovernanceSchema } from '../../src/governance/schema-names.js';
import type { Dialect } from '../../src/warehouse/warehouse.js';
import { compile, edit, FIXTURE_DIR, fixtureFiles } from './compile-fixture.js';

const GOLDENS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../goldens/governance');
const update = process.env.UPDATE_GOLDENS === '1';

const GOVERNANCE = `
governance:
  roles:
    loader:    { description: extract and load, read: [raw], write: [raw, pgshift_meta] }
    engineer:  { read: [raw, staging, marts, reports] }
    marketing: { read: [marts, reports] }
    pii_admin: { read: [raw, staging, marts, reports] }
`;

function project(governance = GOVERNANCE) {
  return parseProject(`name: shop\nstaging: { bucket: b }\ntargets: { dev: { type: postgres, schema: analytics } }\n${governance}`, 'pgshift.yml');
}

function model(name: string, schema: string, grants: Record<string, string[]> = {}, relation: string | null = `"${schema}"."${name}"`): GrantableNode {
  return { unique_id: `model.shop.${name}`, schema, alias: name, relation_name: relation, original_file_path: `models/${name}.sql`, config: { grants } };
}

const NODES = [
  model('stg_customers', 'analytics_staging'),
  model('dim_customers', 'analytics_marts'),
  model('daily_sales', 'analytics_reports'),
  // Lives in the target schema, which no role reads: only its grants config opens it.
  model('customer_ltv', 'analytics', { select: ['marketing'] }),
  model('int_paid_orders', 'analytics_staging', { select: ['marketing'] }, null),
];

function policy(dialect: Dialect, nodes: readonly GrantableNode[] = NODES, governance?: string): GrantPolicy {
  const p = project(governance);
  return buildGrantPolicy({ governance: p.governance, rawSchema: p.rawSchema, targetSchema: 'analytics', dialect, nodes });
}

const table = (schema: string, name: string) => ({ schema, name, kind: 'table' as const, owner: 'admin' });

/** A warehouse half set up: two roles exist, some grants are missing, some were added by hand. */
const SNAPSHOT: GrantSnapshot = {
  roles: ['loader', 'engineer'],
  schemas: ['raw', 'pgshift_meta', 'analytics', 'analytics_staging', 'analytics_marts', 'analytics_reports'].map((name) => ({ name, owner: 'admin' })),
  relations: [
    table('raw', 'customers'),
    table('raw', 'orders'),
    table('pgshift_meta', 'batches'),
    { schema: 'analytics_staging', name: 'stg_customers', kind: 'view', owner: 'admin' },
    table('analytics_marts', 'dim_customers'),
    table('analytics_reports', 'daily_sales'),
    table('analytics', 'customer_ltv'),
    table('analytics', 'internal_notes'),
  ],
  schemaPrivileges: [
    { role: 'loader', schema: 'raw', privilege: 'usage' },
    { role: 'engineer', schema: 'raw', privilege: 'usage' },
    // Given by hand: engineers may not create tables in the marts.
    { role: 'engineer', schema: 'analytics_marts', privilege: 'create' },
  ],
  relationPrivileges: [
    { role: 'loader', schema: 'raw', relation: 'customers', privilege: 'select' },
    { role: 'loader', schema: 'raw', relation: 'customers', privilege: 'insert' },
    { role: 'engineer', schema: 'raw', relation: 'customers', privilege: 'select' },
    // Given by hand: not declared anywhere.
    { role: 'engineer', schema: 'analytics_marts', relation: 'dim_customers', privilege: 'insert' },
    { role: 'engineer', schema: 'analytics_marts', relation: 'dim_customers', privilege: 'delete' },
    { role: 'loader', schema: 'analytics_marts', relation: 'dim_customers', privilege: 'select' },
  ],
};

function plan(dialect: Dialect, snapshot: GrantSnapshot = SNAPSHOT, p: GrantPolicy = policy(dialect)): string[] {
  return planGrants(dialect, desiredGrants(p, snapshot), snapshot).map((statement) => statement.sql);
}

/** The snapshot a warehouse would show after running the plan: what was desired, on what exists. */
function applied(dialect: Dialect, snapshot: GrantSnapshot = SNAPSHOT): GrantSnapshot {
  const desired = desiredGrants(policy(dialect), snapshot);
  return { ...snapshot, roles: desired.roles, schemaPrivileges: desired.schemaPrivileges, relationPrivileges: desired.relationPrivileges };
}

describe('schema names in governance.roles', () => {
  const naming = { rawSchema: 'raw', targetSchema: 'analytics' };

  it('keep the raw schema and pgshift_meta, map default to the target and others to <target>_<name>', () => {
    expect(resolveGovernanceSchema('raw', naming)).toBe('raw');
    expect(resolveGovernanceSchema('pgshift_meta', naming)).toBe('pgshift_meta');
    expect(resolveGovernanceSchema('default', naming)).toBe('analytics');
    expect(resolveGovernanceSchema('marts', naming)).toBe('analytics_marts');
  });

  it('follow raw_schema when the project renames it', () => {
    expect(resolveGovernanceSchema('landing', { rawSchema: 'landing', targetSchema: 'analytics' })).toBe('landing');
    expect(resolveGovernanceSchema('raw', { rawSchema: 'landing', targetSchema: 'analytics' })).toBe('analytics_raw');
  });
});

describe('the policy', () => {
  it('makes writable schemas readable and prefixes role names', () => {
    const p = policy('postgres', [], GOVERNANCE.replace('governance:\n', 'governance:\n  role_prefix: dev_\n'));
    expect(p.roles.find((role) => role.declaredAs === 'loader')).toEqual({
      name: 'dev_loader',
      declaredAs: 'loader',
      readSchemas: ['raw', 'pgshift_meta'],
      writeSchemas: ['raw', 'pgshift_meta'],
      allowsPii: false,
    });
  });

  it('manages the raw, meta and target schemas, every role schema and every model schema', () => {
    expect(policy('postgres').managedSchemas).toEqual(['analytics', 'analytics_marts', 'analytics_reports', 'analytics_staging', 'pgshift_meta', 'raw']);
  });

  it('maps model grants to the prefixed role, skipping ephemeral models', () => {
    const p = policy('postgres', NODES, GOVERNANCE.replace('governance:\n', 'governance:\n  role_prefix: dev_\n'));
    expect(p.modelGrants).toEqual([
      { model: 'model.shop.customer_ltv', schema: 'analytics', relation: 'customer_ltv', privilege: 'select', role: 'dev_marketing' },
    ]);
  });

  it('refuses a model grant to an undeclared role, naming the model and the role', () => {
    expect(() => policy('postgres', [model('customer_ltv', 'analytics', { select: ['reporter'] })])).toThrow(
      "models/customer_ltv.sql: model.shop.customer_ltv grants select to role 'reporter', which is not declared under governance.roles in pgshift.yml (declared roles: loader, engineer, marketing, pii_admin)",
    );
  });

  it('refuses a privilege the warehouse cannot grant on a table', () => {
    expect(() => policy('redshift', [model('customer_ltv', 'analytics', { truncate: ['marketing'] })])).toThrow(
      /grants 'truncate', which a redshift table cannot be granted/,
    );
    // Redshift's ALTER privilege exists for datashares only, not for tables.
    expect(() => policy('redshift', [model('customer_ltv', 'analytics', { alter: ['marketing'] })])).toThrow(
      /grants 'alter', which a redshift table cannot be granted; use one of select, insert, update, delete, references, drop/,
    );
    expect(() => policy('redshift', [model('customer_ltv', 'analytics', { drop: ['marketing'] })])).not.toThrow();
  });
});

describe('the policy for a compiled project', () => {
  const fixtureYml = readFileSync(path.join(FIXTURE_DIR, 'pgshift.yml'), 'utf8');
  const target = { type: 'postgres' as const, schema: 'analytics' };

  it('takes model grants and model schemas from the manifest', async () => {
    const files = edit(await fixtureFiles(), { pgshiftYml: `${fixtureYml}\ngovernance:\n  roles:\n    reporter: { read: [reports] }\n` });
    const p = grantPolicyForRun(files.project, target, compile(files));
    // customer_ltv.sql: config(schema='finance', alias='customer_lifetime_value', grants={'select': ['reporter']}).
    expect(p.modelGrants).toEqual([
      { model: 'model.shop.customer_ltv', schema: 'analytics_finance', relation: 'customer_lifetime_value', privilege: 'select', role: 'reporter' },
    ]);
    expect(p.managedSchemas).toEqual(['analytics', 'analytics_finance', 'analytics_reports', 'analytics_staging', 'pgshift_meta', 'raw']);
  });

  it('fails on a grant to a role pgshift.yml does not declare', async () => {
    const files = await fixtureFiles();
    expect(() => grantPolicyForRun(files.project, target, compile(files))).toThrow(
      /model\.shop\.customer_ltv grants select to role 'reporter', which is not declared .*pgshift\.yml declares no roles/,
    );
  });
});

describe('pgshift.yml governance', () => {
  it('defaults to no roles and no prefix', () => {
    expect(project('').governance).toEqual({ rolePrefix: '', roles: [], auditBeforePublish: true });
  });

  it('names the path of an unknown key and of a role name that is not lower case', () => {
    expect(() => project('governance:\n  roles:\n    marketing: { reads: [marts] }\n')).toThrow('pgshift.yml: unknown key governance.roles.marketing.reads');
    expect(() => project('governance:\n  roles:\n    Marketing: { read: [marts] }\n')).toThrow(
      'pgshift.yml: governance.roles.Marketing must be lower case: letters, digits and _, not starting with a digit',
    );
    expect(() => project('governance:\n  role_prefix: Dev-\n')).toThrow('pgshift.yml: governance.role_prefix must be lower case');
    expect(() => project(`governance:\n  role_prefix: ${'p'.repeat(60)}_\n  roles:\n    loader: { read: [raw] }\n`)).toThrow(
      /^pgshift\.yml: governance\.roles\.loader makes the role name p+_loader, longer than 63 characters$/,
    );
  });
});

describe('the plan', () => {
  for (const dialect of ['postgres', 'redshift'] as const) {
    it(`on ${dialect} is golden in test/goldens/governance/${dialect}.sql`, async () => {
      const file = path.join(GOLDENS, `${dialect}.sql`);
      const actual = `${plan(dialect).join(';\n')};\n`;
      if (update) {
        await mkdir(GOLDENS, { recursive: true });
        await writeFile(file, actual);
      }
      expect(actual).toBe(await readFile(file, 'utf8').catch(() => '(missing: run with UPDATE_GOLDENS=1)\n'));
    });

    it(`on ${dialect} is empty once applied`, () => {
      expect(plan(dialect, applied(dialect))).toEqual([]);
    });
  }

  it('creates missing roles first, then revokes, then grants', () => {
    const kinds = planGrants('postgres', desiredGrants(policy('postgres'), SNAPSHOT), SNAPSHOT).map((statement) => statement.kind);
    expect(kinds.slice(0, 2)).toEqual(['create-role', 'create-role']);
    expect(kinds.indexOf('grant')).toBeGreaterThan(kinds.lastIndexOf('revoke'));
  });

  it('never grants an owner what it owns, nor revokes from it', () => {
    // The catalog readers leave an owner's own ACL entries out, so the snapshot shows none.
    const owned: GrantSnapshot = {
      ...SNAPSHOT,
      relations: SNAPSHOT.relations.map((relation) => (relation.name === 'customers' ? { ...relation, owner: 'loader' } : relation)),
      relationPrivileges: SNAPSHOT.relationPrivileges.filter((grant) => !(grant.role === 'loader' && grant.relation === 'customers')),
    };
    expect(desiredGrants(policy('postgres'), owned).relationPrivileges.filter((grant) => grant.role === 'loader' && grant.relation === 'customers')).toEqual(
      [],
    );
    expect(plan('postgres', owned).filter((sql) => sql.includes('"raw"."customers" ') && sql.endsWith('"loader"'))).toEqual([]);
    expect(plan('postgres', applied('postgres', owned))).toEqual([]);
  });

  it('grants on a relation the first time the catalog shows it', () => {
    const grown: GrantSnapshot = { ...applied('postgres'), relations: [...SNAPSHOT.relations, table('analytics_reports', 'weekly_sales')] };
    expect(plan('postgres', grown)).toEqual([
      'grant select on "analytics_reports"."weekly_sales" to "engineer"',
      'grant select on "analytics_reports"."weekly_sales" to "marketing"',
      'grant select on "analytics_reports"."weekly_sales" to "pii_admin"',
    ]);
  });

  it('skips schemas that do not exist yet', () => {
    const bare: GrantSnapshot = { roles: [], schemas: [{ name: 'raw', owner: 'admin' }], relations: [], schemaPrivileges: [], relationPrivileges: [] };
    expect(plan('redshift', bare)).toEqual([
      'create role "engineer"',
      'create role "loader"',
      'create role "marketing"',
      'create role "pii_admin"',
      'grant usage on schema "raw" to role "engineer"',
      'grant usage, create on schema "raw" to role "loader"',
      'grant usage on schema "raw" to role "pii_admin"',
    ]);
  });

  it('quotes hostile names', () => {
    const hostile: GrantSnapshot = { ...applied('postgres'), relations: [...SNAPSHOT.relations, table('raw', 'x"; drop table raw.customers; --')] };
    expect(plan('postgres', hostile)).toContain('grant select on "raw"."x""; drop table raw.customers; --" to "engineer"');
  });
});

describe('reconcileGrants on Redshift', () => {
  it('treats "already exists" from CREATE ROLE as done: SVV_ROLES hides roles a regular user neither owns nor holds', async () => {
    const executed: string[] = [];
    const warehouse = {
      dialect: 'redshift' as const,
      query: async () => [],
      execute: async (sql: string) => {
        executed.push(sql);
        if (sql.startsWith('create role')) throw new Error('ERROR: role "pgshift_loader" already exists');
        return { rowCount: 0 };
      },
      queryTable: async () => ({ columns: [], rows: [], rowCount: 0 }),
      transaction: async () => [],
      loadBatch: async () => ({ rows: 0 }),
      loadScratchTable: async () => {},
      describeTable: async () => undefined,
      close: async () => {},
    };
    await expect(reconcileGrants(warehouse, policy('redshift', []))).resolves.toBeInstanceOf(Array);
    expect(executed.filter((sql) => sql.startsWith('create role')).length).toBeGreaterThan(0);

    const failing = { ...warehouse, execute: async () => Promise.reject(new Error('ERROR: permission denied to create role')) };
    await expect(reconcileGrants(failing, policy('redshift', []))).rejects.toThrow('permission denied to create role');
  });
});
