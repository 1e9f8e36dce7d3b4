// The report's Access section: the matrix as an HTML table, leaks marked and listed, every
// name from the catalog escaped.

import { describe, expect, it } from 'vitest';
import { accessSection, type AccessSectionInput } from '../../src/report/html/access-section.js';

const ACCESS: AccessSectionInput = {
  roles: [
    { declaredAs: 'engineer', allowsPii: true, exists: true },
    { declaredAs: 'marketing', allowsPii: false, exists: true },
    { declaredAs: 'auditor', allowsPii: false, exists: false },
  ],
  relations: [
    {
      schema: 'analytics_staging',
      name: 'stg_<customers>',
      built: true,
      classifiedColumns: [{ name: 'email', pii: 'email' }],
      cells: [
        { read: true, piiColumns: [{ name: 'email', pii: 'email' }] },
        { read: true, piiColumns: [{ name: 'email', pii: 'email' }] },
        { read: false, piiColumns: [] },
      ],
    },
    {
      schema: 'analytics_marts',
      name: 'fct_orders',
      built: false,
      classifiedColumns: [],
      cells: [
        { read: false, piiColumns: [] },
        { read: false, piiColumns: [] },
        { read: false, piiColumns: [] },
      ],
    },
  ],
  leaks: [{ role: 'marketing', schema: 'analytics_staging', relation: 'stg_<customers>', column: 'email', pii: 'email', fix: 'mask email' }],
};

describe('the Access section of the report', () => {
  it('marks the leak in the matrix and lists it, with every name escaped', () => {
    const section = accessSection(ACCESS).text;
    expect(section).toContain('<th scope="col">engineer (PII)</th><th scope="col">marketing</th><th scope="col">auditor (no role yet)</th>');
    expect(section).toContain(
      '<tr><td>analytics_staging.stg_&lt;customers&gt;</td><td>read + PII</td><td class="leak">LEAK</td><td>–</td><td>email (email)</td></tr>',
    );
    expect(section).toContain('<tr><td>analytics_marts.fct_orders</td><td>not built</td><td>not built</td><td>not built</td><td></td></tr>');
    expect(section).toContain(
      '<li><strong>marketing</strong> can read <code>analytics_staging.stg_&lt;customers&gt;.email</code> (email) unmasked: mask email</li>',
    );
    expect(section).toContain('1 place where a role without pii: true can read unmasked PII.');
    expect(section).not.toContain('<customers>');
  });

  it('says so when no role is declared, and is left out without a matrix', () => {
    expect(accessSection({ roles: [], relations: [], leaks: [] }).text).toContain('pgshift.yml declares no roles');
    expect(accessSection(null).text).toBe('');
    const clean = accessSection({ ...ACCESS, roles: ACCESS.roles.slice(0, 1), relations: [], leaks: [] }).text;
    expect(clean).toContain('Only roles with pii: true can read unmasked PII.');
    expect(clean).not.toContain('class="leaks"');
  });
});
