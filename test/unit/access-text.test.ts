// `pgshift access` as text: roles as columns, relations as rows, the unmasked PII under its
// row, then one line per leak with what to do.

import { describe, expect, it } from 'vitest';
import { accessText } from '../../src/cli/access-text.js';
import { parseProject } from '../../src/config/load-project.js';
import { accessMatrix } from '../../src/governance/access-matrix.js';
import { buildGrantPolicy } from '../../src/governance/grant-policy.js';
import type { GrantSnapshot } from '../../src/governance/grant-state.js';

const project = parseProject(
  'name: shop\nstaging: { bucket: b }\ntargets: { dev: { type: postgres, schema: analytics } }\ngovernance:\n  roles:\n    engineer: { read: [raw, marts], pii: true }\n    marketing: { read: [marts, raw] }\n',
  'pgshift.yml',
);
const policy = buildGrantPolicy({ governance: project.governance, rawSchema: 'raw', targetSchema: 'analytics', dialect: 'postgres', nodes: [] });
const roles = ['engineer', 'marketing'];
const SNAPSHOT: GrantSnapshot = {
  roles,
  schemas: [
    { name: 'raw', owner: 'admin' },
    { name: 'analytics_marts', owner: 'admin' },
  ],
  relations: [
    { schema: 'raw', name: 'customers', kind: 'table', owner: 'admin' },
    { schema: 'analytics_marts', name: 'dim_customers', kind: 'view', owner: 'admin' },
  ],
  schemaPrivileges: roles.flatMap((role) => ['raw', 'analytics_marts'].map((schema) => ({ role, schema, privilege: 'usage' }))),
  relationPrivileges: roles.flatMap((role) => [
    { role, schema: 'raw', relation: 'customers', privilege: 'select' },
    { role, schema: 'analytics_marts', relation: 'dim_customers', privilege: 'select' },
  ]),
};

describe('pgshift access as text', () => {
  it('prints the matrix, the PII under its row and the leak with its fix', () => {
    const matrix = accessMatrix(policy, SNAPSHOT, [
      {
        schema: 'raw',
        name: 'customers',
        node: 'source.shop.customers',
        resourceType: 'source',
        file: 'pgshift.yml',
        classifiedColumns: [{ name: 'email', pii: 'email' }],
      },
      {
        schema: 'analytics_marts',
        name: 'fct_orders',
        node: 'model.shop.fct_orders',
        resourceType: 'model',
        file: 'models/fct_orders.sql',
        classifiedColumns: [],
      },
    ]);
    const holds = [{ schema: 'analytics_marts', relation: 'dim_customers', tests: ['test.shop.no_pii_dim_customers_email'], readableBy: ['marketing'] }];
    const lines = accessText({ target: { name: 'dev', type: 'postgres', schema: 'analytics' }, matrix, holds }).split('\n');
    expect(lines.slice(0, 9)).toEqual([
      'access on target dev (postgres): 2 role(s), 3 relation(s) in 2 schema(s)',
      '',
      'relation                       kind       engineer  marketing',
      '(may read PII)                            yes       no',
      'analytics_marts.dim_customers  view       read      read',
      'analytics_marts.fct_orders     not built  -         -',
      'raw.customers                  table      read+pii  LEAK',
      '  unmasked PII: email (email)',
      '',
    ]);
    expect(lines).toContain(
      'LEAK role marketing (marketing) can read raw.customers.email (email) unmasked: take raw out of governance.roles.marketing.read and give it a model that masks email, or give role marketing `pii: true` in pgshift.yml if it may read email data',
    );
    expect(lines).not.toContain('no leaks: only roles with pii: true can read unmasked PII');
    // A relation a failing governance test holds, still readable by marketing: a leak too.
    expect(lines).toContain(
      'LEAK held analytics_marts.dim_customers (no_pii_dim_customers_email failed) is still readable by marketing: run pgshift to reconcile grants, or fix the model and run it',
    );
  });

  it('says there is nothing to audit without roles', () => {
    const none = buildGrantPolicy({ governance: { rolePrefix: '', roles: [] }, rawSchema: 'raw', targetSchema: 'analytics', dialect: 'postgres', nodes: [] });
    const text = accessText({
      target: { name: 'dev', type: 'postgres', schema: 'analytics' },
      matrix: accessMatrix(none, { ...SNAPSHOT, roles: [] }, []),
      holds: [],
    });
    expect(text).toContain('pgshift.yml declares no roles under governance.roles, so there is nothing to audit');
  });
});
