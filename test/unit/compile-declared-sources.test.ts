// Sources only dbt YAML declares: tables something else loads, read by models, checked by tests
// and freshness, never extracted. dbt's source properties are honoured:
// https://docs.getdbt.com/reference/source-properties

import { describe, expect, it } from 'vitest';
import type { SourceNode } from '../../src/manifest/index.js';
import { planRun } from '../../src/run/plan-run.js';
import { bareProject, compile, compiledSql } from './compile-fixture.js';

const CRM = `
sources:
  - name: crm
    description: Accounts the sales tool syncs
    loader: fivetran
    loaded_at_field: _fivetran_synced
    freshness: { warn_after: { count: 12, period: hour } }
    tags: [external]
    meta: { owner: sales-ops }
    tables:
      - name: accounts
        columns:
          - name: id
            data_tests: [not_null]
      - name: contacts
        identifier: CRM_Contacts
      - name: notes
        quoting: { identifier: false }
        identifier: CRM_Notes
  - name: finance
    schema: ledger
    database: accounting
    tables:
      - name: invoices
`;

async function compiled(sql: string) {
  const files = await bareProject({ 'models/probe.sql': sql }, { schemaFiles: { 'models/crm.yml': CRM } });
  return compile(files);
}

describe('a source only dbt YAML declares', () => {
  it("lives in the schema named after the source, under the table's identifier", async () => {
    const manifest = await compiled("select * from {{ source('crm', 'accounts') }} join {{ source('crm', 'contacts') }} using (id)");
    expect(compiledSql(manifest, 'probe')).toBe('select * from "crm"."accounts" join "crm"."CRM_Contacts" using (id)');
  });

  it('lets the warehouse fold a name whose quoting is off, as an unquoted name would be', async () => {
    const manifest = await compiled("select * from {{ source('crm', 'notes') }}");
    expect(compiledSql(manifest, 'probe')).toBe('select * from "crm"."crm_notes"');
  });

  it('reads another database with a three-part name when the YAML names one', async () => {
    const manifest = await compiled("select * from {{ source('finance', 'invoices') }} -- {{ source('finance', 'invoices').database }}");
    expect(compiledSql(manifest, 'probe')).toBe('select * from "accounting"."ledger"."invoices" -- accounting');
  });

  it("keeps dbt's properties on the node: loader, freshness, tags, meta; it is not extracted", async () => {
    const manifest = await compiled("select * from {{ source('crm', 'accounts') }}");
    const node = manifest.sources['source.crm.accounts'] as SourceNode;
    expect(node).toMatchObject({
      extracted: false,
      schema: 'crm',
      identifier: 'accounts',
      relation_name: '"crm"."accounts"',
      loader: 'fivetran',
      loaded_at_field: '_fivetran_synced',
      freshness: { warn_after: { count: 12, period: 'hour' } },
      tags: ['external'],
      meta: { owner: 'sales-ops' },
      description: 'Accounts the sales tool syncs',
      source_schema: null,
    });
    expect(manifest.sources['source.shop.orders']).toMatchObject({ extracted: true, schema: 'raw' });
    expect(manifest.parent_map[Object.keys(manifest.nodes).find((id) => id.startsWith('model.'))!]).toEqual(['source.crm.accounts']);
  });

  it('gets its tests, and a run builds what reads it without trying to extract it', async () => {
    const manifest = await compiled("select * from {{ source('crm', 'accounts') }}");
    const test = Object.values(manifest.nodes).find((node) => node.resource_type === 'test' && node.name.includes('accounts'));
    expect(test && 'compiled_code' in test ? test.compiled_code : '').toContain('"crm"."accounts"');
    const plan = planRun(manifest, { command: 'run', select: ['source:crm+'] });
    expect(plan.order).not.toContain('source.crm.accounts');
    expect(plan.order).toEqual(expect.arrayContaining([test!.unique_id, expect.stringMatching(/^model\..*probe$/)]));
  });
});
