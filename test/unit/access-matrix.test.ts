// The access matrix as a pure function: declared roles, a catalog snapshot and the manifest's
// classified columns → who reads what, and the leaks (a role without pii: true reading PII).

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileProject } from '../../src/compile/index.js';
import { loadProject, parseProject } from '../../src/config/load-project.js';
import { accessMatrix, type ManifestRelation } from '../../src/governance/access-matrix.js';
import { buildGrantPolicy, type GrantableNode } from '../../src/governance/grant-policy.js';
import type { GrantSnapshot, RelationPrivilege, SchemaPrivilege } from '../../src/governance/grant-state.js';
import { manifestRelations } from '../../src/governance/manifest-relations.js';
import { loadProjectFiles } from '../../src/project-files/load-project-files.js';

const GOVERNANCE = `
governance:
  role_prefix: t_
  roles:
    loader:    { read: [raw], write: [raw, pgshift_meta], pii: true }
    engineer:  { read: [raw, staging, marts], pii: true }
    marketing: { read: [marts] }
`;

function policy(governance = GOVERNANCE, nodes: readonly GrantableNode[] = []) {
  const project = parseProject(`name: shop\nstaging: { bucket: b }\ntargets: { dev: { type: postgres, schema: analytics } }\n${governance}`, 'pgshift.yml');
  return buildGrantPolicy({ governance: project.governance, rawSchema: project.rawSchema, targetSchema: 'analytics', dialect: 'postgres', nodes });
}

const RELATIONS: ManifestRelation[] = [
  {
    schema: 'raw',
    name: 'customers',
    node: 'source.shop.customers',
    resourceType: 'source',
    file: 'pgshift.yml',
    classifiedColumns: [
      { name: 'email', pii: 'email' },
      { name: 'phone', pii: 'phone' },
    ],
  },
  {
    schema: 'analytics_staging',
    name: 'stg_customers',
    node: 'model.shop.stg_customers',
    resourceType: 'model',
    file: 'models/staging/stg_customers.sql',
    classifiedColumns: [{ name: 'email', pii: 'email' }],
  },
  {
    schema: 'analytics_marts',
    name: 'dim_customers',
    node: 'model.shop.dim_customers',
    resourceType: 'model',
    file: 'models/marts/dim_customers.sql',
    classifiedColumns: [],
  },
  // Compiled, never built.
  {
    schema: 'analytics_marts',
    name: 'fct_orders',
    node: 'model.shop.fct_orders',
    resourceType: 'model',
    file: 'models/marts/fct_orders.sql',
    classifiedColumns: [],
  },
  // Outside every managed schema: not part of the matrix.
  {
    schema: 'elsewhere',
    name: 'notes',
    node: 'model.shop.notes',
    resourceType: 'model',
    file: 'models/notes.sql',
    classifiedColumns: [{ name: 'body', pii: 'free_text' }],
  },
];

/** What a reconcile of GOVERNANCE leaves (owner `admin`), plus what a test adds. */
function snapshot(extra: { schemaPrivileges?: SchemaPrivilege[]; relationPrivileges?: RelationPrivilege[]; roles?: string[] } = {}): GrantSnapshot {
  const readers: Record<string, string[]> = {
    raw: ['t_loader', 't_engineer'],
    analytics_staging: ['t_engineer'],
    analytics_marts: ['t_engineer', 't_marketing'],
  };
  const relations = [
    { schema: 'raw', name: 'customers' },
    { schema: 'analytics_staging', name: 'stg_customers' },
    { schema: 'analytics_marts', name: 'dim_customers' },
    { schema: 'pgshift_meta', name: 'batches' },
  ];
  return {
    roles: extra.roles ?? ['t_loader', 't_engineer', 't_marketing'],
    schemas: ['raw', 'pgshift_meta', 'analytics', 'analytics_staging', 'analytics_marts'].map((name) => ({ name, owner: 'admin' })),
    relations: relations.map((relation) => ({ ...relation, kind: 'table' as const, owner: 'admin' })),
    schemaPrivileges: [
      ...Object.entries(readers).flatMap(([schema, roles]) => roles.map((role) => ({ role, schema, privilege: 'usage' }))),
      { role: 't_loader', schema: 'pgshift_meta', privilege: 'usage' },
      ...(extra.schemaPrivileges ?? []),
    ],
    relationPrivileges: [
      ...relations.flatMap((relation) => (readers[relation.schema] ?? []).map((role) => ({ role, ...relation, relation: relation.name, privilege: 'select' }))),
      { role: 't_loader', schema: 'pgshift_meta', relation: 'batches', privilege: 'select' },
      { role: 't_loader', schema: 'raw', relation: 'customers', privilege: 'insert' },
      ...(extra.relationPrivileges ?? []),
    ].map(({ role, schema, relation, privilege }) => ({ role, schema, relation, privilege })),
  };
}

/** relation → the roles that can read it, as `role` or `role+pii`. */
function readers(matrix: ReturnType<typeof accessMatrix>): Record<string, string[]> {
  return Object.fromEntries(
    matrix.relations.map((relation) => [
      `${relation.schema}.${relation.name}${relation.built ? '' : ' (not built)'}`,
      relation.cells.filter((cell) => cell.read).map((cell) => (cell.piiColumns.length > 0 ? `${cell.role}+pii` : cell.role)),
    ]),
  );
}

describe('the access matrix', () => {
  it('lists what each role reads, unbuilt relations included, and finds no leak when only pii roles read PII', () => {
    const matrix = accessMatrix(policy(), snapshot(), RELATIONS);
    expect(matrix.roles).toEqual([
      { declaredAs: 'loader', name: 't_loader', allowsPii: true, exists: true },
      { declaredAs: 'engineer', name: 't_engineer', allowsPii: true, exists: true },
      { declaredAs: 'marketing', name: 't_marketing', allowsPii: false, exists: true },
    ]);
    expect(readers(matrix)).toEqual({
      'analytics_marts.dim_customers': ['engineer', 'marketing'],
      'analytics_marts.fct_orders (not built)': [],
      'analytics_staging.stg_customers': ['engineer+pii'],
      'pgshift_meta.batches': ['loader'],
      'raw.customers': ['loader+pii', 'engineer+pii'],
    });
    const stg = matrix.relations.find((relation) => relation.name === 'stg_customers')!;
    expect(stg.cells.find((cell) => cell.role === 'engineer')).toEqual({
      role: 'engineer',
      read: true,
      via: 'grant',
      declared: true,
      piiColumns: [{ name: 'email', pii: 'email' }],
    });
    expect(matrix.relations.find((relation) => relation.name === 'fct_orders')).toMatchObject({ built: false, kind: null, node: 'model.shop.fct_orders' });
    expect(matrix.relations.find((relation) => relation.name === 'batches')).toMatchObject({ built: true, node: null, classifiedColumns: [] });
    expect(matrix.leaks).toEqual([]);
  });

  it('reports a leak per classified column when a role without pii: true is declared a schema with PII', () => {
    const governance = GOVERNANCE.replace('marketing: { read: [marts] }', 'marketing: { read: [marts, staging] }');
    const granted = snapshot({
      schemaPrivileges: [{ role: 't_marketing', schema: 'analytics_staging', privilege: 'usage' }],
      relationPrivileges: [{ role: 't_marketing', schema: 'analytics_staging', relation: 'stg_customers', privilege: 'select' }],
    });
    const matrix = accessMatrix(policy(governance), granted, RELATIONS);
    expect(matrix.leaks).toEqual([
      {
        role: 'marketing',
        warehouseRole: 't_marketing',
        schema: 'analytics_staging',
        relation: 'stg_customers',
        node: 'model.shop.stg_customers',
        column: 'email',
        pii: 'email',
        declared: true,
        fix: 'mask email in models/staging/stg_customers.sql (pii_hash, pii_mask_email, pii_redact, …), or take analytics_staging out of governance.roles.marketing.read, or give role marketing `pii: true` in pgshift.yml if it may read email data',
      },
    ]);
  });

  it('needs USAGE on the schema as well as SELECT: a select grant alone reads nothing', () => {
    const selectOnly = snapshot({ relationPrivileges: [{ role: 't_marketing', schema: 'raw', relation: 'customers', privilege: 'select' }] });
    expect(accessMatrix(policy(), selectOnly, RELATIONS).leaks).toEqual([]);
    const both = snapshot({
      schemaPrivileges: [{ role: 't_marketing', schema: 'raw', privilege: 'usage' }],
      relationPrivileges: [{ role: 't_marketing', schema: 'raw', relation: 'customers', privilege: 'select' }],
    });
    const leaks = accessMatrix(policy(), both, RELATIONS).leaks;
    // Granted by hand: pgshift.yml does not declare it, so the fix says so.
    expect(leaks.map((leak) => [leak.relation, leak.column, leak.pii, leak.declared])).toEqual([
      ['customers', 'email', 'email', false],
      ['customers', 'phone', 'phone', false],
    ]);
    expect(leaks[0]!.fix).toMatch(/^pgshift\.yml does not grant this read: revoke it/);
  });

  it('counts ownership as read, and a role that does not exist yet as reading nothing', () => {
    const owned: GrantSnapshot = {
      ...snapshot(),
      schemas: snapshot().schemas.map((schema) => (schema.name === 'raw' ? { ...schema, owner: 't_marketing' } : schema)),
      relations: snapshot().relations.map((relation) => (relation.name === 'customers' ? { ...relation, owner: 't_marketing' } : relation)),
    };
    const matrix = accessMatrix(policy(), owned, RELATIONS);
    const customers = matrix.relations.find((relation) => relation.name === 'customers')!;
    expect(customers.cells.find((cell) => cell.role === 'marketing')).toMatchObject({ read: true, via: 'owner', declared: false });
    expect(matrix.leaks.map((leak) => leak.column)).toEqual(['email', 'phone']);

    const missing = accessMatrix(policy(), { ...snapshot(), roles: ['t_loader', 't_engineer'] }, RELATIONS);
    expect(missing.roles.find((role) => role.declaredAs === 'marketing')?.exists).toBe(false);
    expect(missing.relations.every((relation) => relation.cells[2]!.read === false)).toBe(true);
  });

  it('names the model grants to change when a model grant, not a schema, opens the relation', () => {
    const node: GrantableNode = {
      unique_id: 'model.shop.stg_customers',
      schema: 'analytics_staging',
      alias: 'stg_customers',
      relation_name: '"analytics_staging"."stg_customers"',
      original_file_path: 'models/staging/stg_customers.sql',
      config: { grants: { select: ['marketing'] } },
    };
    const granted = snapshot({
      schemaPrivileges: [{ role: 't_marketing', schema: 'analytics_staging', privilege: 'usage' }],
      relationPrivileges: [{ role: 't_marketing', schema: 'analytics_staging', relation: 'stg_customers', privilege: 'select' }],
    });
    const [leak] = accessMatrix(policy(GOVERNANCE, [node]), granted, RELATIONS).leaks;
    expect(leak).toMatchObject({ declared: true, column: 'email' });
    expect(leak!.fix).toContain('or take marketing out of the select grants of model.shop.stg_customers,');
  });
});

describe('the classified columns of the shop project', () => {
  it('are the raw customers table and stg_customers only: the marts mask what they take', async () => {
    const project = await loadProject(path.resolve('.'));
    const { manifest } = compileProject(await loadProjectFiles(project), { target: { name: 'dev', type: 'postgres', schema: 'analytics' }, env: {} });
    const classified = manifestRelations(manifest).filter((relation) => relation.classifiedColumns.length > 0);
    expect(classified.map((relation) => [`${relation.schema}.${relation.name}`, relation.resourceType, relation.file])).toEqual([
      ['raw.customers', 'source', 'models/staging/schema.yml'],
      ['analytics_staging.stg_customers', 'model', 'models/staging/stg_customers.sql'],
    ]);
    expect(classified[1]!.classifiedColumns).toContainEqual({ name: 'email', pii: 'email' });
    // Ephemeral models and tests have no relation of their own.
    expect(manifestRelations(manifest).some((relation) => relation.node.startsWith('test.'))).toBe(false);
  });
});
