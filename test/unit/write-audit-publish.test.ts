// Write, audit, publish as pure parts: which tests audit which model (planRun), the grants a
// relation is published with, how a governance hold keeps roles without `pii: true` out, and
// the scheduler recording a model's audited tests instead of running them again.

import { describe, expect, it } from 'vitest';
import { parseProject } from '../../src/config/load-project.js';
import { desiredGrants } from '../../src/governance/desired-grants.js';
import { buildGrantPolicy, type GrantableNode } from '../../src/governance/grant-policy.js';
import type { GrantSnapshot } from '../../src/governance/grant-state.js';
import { revokesFromReaders } from '../../src/governance/governance-holds.js';
import { publishGrantStatements } from '../../src/governance/publish-grants.js';
import { isGovernanceTest, type TestNode } from '../../src/manifest/index.js';
import { scheduleGraph } from '../../src/run/graph-scheduler.js';
import { planView } from '../../src/run/materializations/view-plan.js';
import { planRun } from '../../src/run/plan-run.js';
import { compile, fixtureFiles } from './compile-fixture.js';

const PROJECT = parseProject(
  `name: shop
staging: { bucket: b }
targets: { dev: { type: postgres, schema: analytics } }
governance:
  roles:
    loader:    { read: [raw], write: [raw, marts], pii: true }
    marketing: { read: [marts] }
    pii_admin: { read: [marts], pii: true }
    finance:   {}
`,
  'pgshift.yml',
);

const DIM: GrantableNode = {
  unique_id: 'model.shop.dim_customers',
  schema: 'analytics_marts',
  alias: 'dim_customers',
  relation_name: '"analytics_marts"."dim_customers"',
  original_file_path: 'models/dim_customers.sql',
  config: { grants: { select: ['finance'] } },
};

function policy(held: { schema: string; relation: string }[] = []) {
  const base = buildGrantPolicy({ governance: PROJECT.governance, rawSchema: 'raw', targetSchema: 'analytics', dialect: 'postgres', nodes: [DIM] });
  return { ...base, held: new Set(held.map((relation) => JSON.stringify([relation.schema, relation.relation]))) };
}

const RELATION = { schema: 'analytics_marts', relation: 'dim_customers' };

describe('grants at publish', () => {
  it("are every role's privileges on the new relation: readers' SELECT, writers' DML on tables, the model's own grants", () => {
    expect(publishGrantStatements(policy(), RELATION, 'table')).toEqual([
      'grant select on "analytics_marts"."dim_customers" to "finance"',
      'grant select, insert, update, delete, truncate on "analytics_marts"."dim_customers" to "loader"',
      'grant select on "analytics_marts"."dim_customers" to "marketing"',
      'grant select on "analytics_marts"."dim_customers" to "pii_admin"',
    ]);
    expect(publishGrantStatements(policy(), RELATION, 'view')).toContain('grant select on "analytics_marts"."dim_customers" to "loader"');
  });

  it('leave out the roles without pii: true while the relation is held, or while its governance tests are still to run', () => {
    const onlyPii = [
      'grant select, insert, update, delete, truncate on "analytics_marts"."dim_customers" to "loader"',
      'grant select on "analytics_marts"."dim_customers" to "pii_admin"',
    ];
    expect(publishGrantStatements(policy([RELATION]), RELATION, 'table')).toEqual(onlyPii);
    expect(publishGrantStatements(policy(), RELATION, 'table', { withholdFromReaders: true })).toEqual(onlyPii);
  });

  it('run in the transaction that makes a view visible', () => {
    const target = { dialect: 'postgres' as const, model: DIM.unique_id, schema: 'analytics_marts', alias: 'v', config: {} as never, sql: 'select 1 as one' };
    const plan = planView(target, 'view', [{ sql: 'grant select on "analytics_marts"."v" to "marketing"' }]);
    expect(plan.steps).toEqual([
      {
        transaction: true,
        statements: [
          { sql: 'create or replace view "analytics_marts"."v" as\nselect 1 as one' },
          { sql: 'grant select on "analytics_marts"."v" to "marketing"' },
        ],
      },
    ]);
    expect(plan.fallback[0]!.statements.map((statement) => statement.sql)).toEqual([
      'drop view "analytics_marts"."v" cascade',
      'create view "analytics_marts"."v" as\nselect 1 as one',
      'grant select on "analytics_marts"."v" to "marketing"',
    ]);
  });
});

describe('a governance hold', () => {
  const snapshot: GrantSnapshot = {
    roles: ['loader', 'marketing', 'pii_admin', 'finance'],
    schemas: [{ name: 'analytics_marts', owner: 'admin' }],
    relations: [{ schema: 'analytics_marts', name: 'dim_customers', kind: 'table', owner: 'admin' }],
    schemaPrivileges: [],
    relationPrivileges: [
      { role: 'marketing', ...RELATION, privilege: 'select' },
      { role: 'finance', ...RELATION, privilege: 'select' },
      { role: 'pii_admin', ...RELATION, privilege: 'select' },
    ],
  };

  it('revokes at once what roles without pii: true hold on the relation', () => {
    expect(revokesFromReaders(policy(), snapshot, RELATION)).toEqual([
      'revoke select on "analytics_marts"."dim_customers" from "finance"',
      'revoke select on "analytics_marts"."dim_customers" from "marketing"',
    ]);
  });

  it('keeps them out of every reconcile while it lasts', () => {
    const readers = (held: { schema: string; relation: string }[]) =>
      desiredGrants(policy(held), snapshot)
        .relationPrivileges.filter((grant) => grant.privilege === 'select')
        .map((grant) => grant.role)
        .sort();
    expect(readers([])).toEqual(['finance', 'loader', 'marketing', 'pii_admin']);
    expect(readers([RELATION])).toEqual(['loader', 'pii_admin']);
  });

  it('comes from no_pii and from any test tagged governance', () => {
    const test = (name: string, tags: string[] = []) =>
      ({ test_metadata: { name, kwargs: {}, namespace: null }, tags, config: { tags: [] } }) as unknown as Pick<TestNode, 'test_metadata' | 'tags' | 'config'>;
    expect(isGovernanceTest(test('no_pii'))).toBe(true);
    expect(isGovernanceTest(test('not_null', ['governance']))).toBe(true);
    expect(isGovernanceTest(test('not_null'))).toBe(false);
  });
});

describe('the audited tests of a model (planRun)', () => {
  it('are its scheduled error-severity tests that read nothing built after it', async () => {
    const manifest = compile(await fixtureFiles());
    const plan = planRun(manifest, { command: 'build' });
    const audited = Object.entries(plan.auditsOf).flatMap(([model, tests]) => tests.map((test) => [model, test] as const));
    expect(audited.length).toBeGreaterThan(0);
    for (const [model, id] of audited) {
      const test = manifest.nodes[id] as TestNode;
      expect(test.config.severity).toBe('error');
      expect(test.attached_node).toBe(model);
    }
    const all = new Set(audited.map(([, id]) => id));
    const tests = plan.order.map((id) => manifest.nodes[id]).filter((node): node is TestNode => node?.resource_type === 'test');
    // A warning never blocks publishing.
    expect(tests.filter((test) => test.config.severity === 'warn' && all.has(test.unique_id))).toEqual([]);
    // fct_orders → dim_customers: dim_customers is no ancestor of fct_orders, so that test runs after both.
    const toDim = tests.find((test) => test.attached_node === 'model.shop.fct_orders' && test.test_metadata?.name === 'relationships')!;
    expect(toDim).toBeDefined();
    expect(all.has(toDim.unique_id)).toBe(false);
  });
});

describe('the scheduler and settled tests', () => {
  it("records a model's audited tests with the model, runs them no more, and skips what waits on a failed one", async () => {
    const executed: string[] = [];
    const results = await scheduleGraph({
      order: ['m', 't', 'child'],
      parentsOf: (id) => ({ m: [], t: ['m'], child: ['m', 't'] })[id]!,
      threads: 2,
      execute: async (id) => {
        executed.push(id);
        return id === 'm' ? { status: 'success', settles: [{ uniqueId: 't', outcome: { status: 'fail', failures: 2 } }] } : { status: 'success' };
      },
    });
    expect(executed).toEqual(['m']);
    expect(results.map((result) => [result.uniqueId, result.status])).toEqual([
      ['m', 'success'],
      ['t', 'fail'],
      ['child', 'skipped'],
    ]);
    expect(results[0]).not.toHaveProperty('settles');
  });
});
