// Column lineage of PII classes: which model columns carry a class from the source columns
// pgshift.yml classifies, through ref(), source(), CTEs and simple expressions; and where the
// inheritance stops (masking macros, anything else that transforms the value, unknown lineage).

import { describe, expect, it } from 'vitest';
import type { ColumnInfo, ModelNode } from '../../src/manifest/index.js';
import { bareProject, compile, nodeNamed, pgshiftYml, type TargetType } from './compile-fixture.js';

// The source customers with email and phone classified, as pgshift.yml writes it.
const PGSHIFT_YML = pgshiftYml().replace(
  'customers: { primary_key: customer_id, cursor: updated_at }',
  'customers: { primary_key: customer_id, cursor: updated_at, pii: { email: email, phone: phone, birth_date: birth_date } }',
);

const STAGING = `select customer_id, email, phone, birth_date, segment from {{ source('shop', 'customers') }}`;

async function classesOf(model: string, models: Record<string, string>, type: TargetType = 'postgres', schemaFiles: Record<string, string> = {}) {
  const files = await bareProject({ 'models/staging/stg_customers.sql': STAGING, ...models }, { pgshiftYml: PGSHIFT_YML, schemaFiles });
  const node = nodeNamed(compile(files, type, { env: { PGSHIFT_PII_KEY: 'test-key' } }), model) as ModelNode;
  return Object.fromEntries(
    Object.values(node.columns)
      .filter((column) => column.pii)
      .map((column) => [column.name, column.pii]),
  );
}

async function columnOf(model: string, column: string, models: Record<string, string>): Promise<ColumnInfo | undefined> {
  const files = await bareProject({ 'models/staging/stg_customers.sql': STAGING, ...models }, { pgshiftYml: PGSHIFT_YML });
  return (nodeNamed(compile(files), model) as ModelNode).columns[column];
}

describe('lineage of direct references', () => {
  it('passes the classes of source() columns to the staging model that selects them', async () => {
    expect(await classesOf('stg_customers', {})).toEqual({ email: 'email', phone: 'phone', birth_date: 'birth_date' });
  });

  it('records where an inherited class comes from', async () => {
    const column = await columnOf('stg_customers', 'email', {});
    expect(column?.pii_source).toEqual({ node: 'source.shop.customers', column: 'email' });
  });

  it('follows ref() from staging into a mart, through aliases and qualified names', async () => {
    const mart = `select c.customer_id, c.email as contact, phone "Phone" from {{ ref('stg_customers') }} as c`;
    expect(await classesOf('mart', { 'models/marts/mart.sql': mart })).toEqual({ contact: 'email', Phone: 'phone' });
    const column = await columnOf('mart', 'contact', { 'models/marts/mart.sql': mart });
    expect(column?.pii_source).toEqual({ node: 'model.shop.stg_customers', column: 'email' });
  });

  it('follows select * and alias.*', async () => {
    expect(await classesOf('mart', { 'models/marts/mart.sql': `select * from {{ ref('stg_customers') }}` })).toEqual({
      email: 'email',
      phone: 'phone',
      birth_date: 'birth_date',
    });
    const joined = `select o.order_id, c.* from {{ source('shop', 'orders') }} o left join {{ ref('stg_customers') }} c on c.customer_id = o.customer_id`;
    expect(await classesOf('mart', { 'models/marts/mart.sql': joined })).toEqual({ email: 'email', phone: 'phone', birth_date: 'birth_date' });
  });

  it('resolves a column to the joined relation that has it', async () => {
    const joined = `select o.order_id, email from {{ source('shop', 'orders') }} o join {{ ref('stg_customers') }} c using (customer_id)`;
    expect(await classesOf('mart', { 'models/marts/mart.sql': joined })).toEqual({ email: 'email' });
  });
});

describe('lineage of simple expressions', () => {
  it.each([
    ['lower(email) as e', 'email'],
    ['upper(trim(email)) as e', 'email'],
    ["trim(both ' ' from email) as e", 'email'],
    ['cast(email as varchar(256)) as e', 'email'],
    ['email::text as e', 'email'],
    ["coalesce(email, '') as e", 'email'],
    ["nullif(email, '') as e", 'email'],
    ["'mailto:' || email as e", 'email'],
    ['(lower(email)) e', 'email'],
    ['cast(birth_date as varchar) as e', 'birth_date'],
  ])('%s keeps the class', async (expression, pii) => {
    expect(await classesOf('mart', { 'models/marts/mart.sql': `select ${expression} from {{ ref('stg_customers') }}` })).toEqual({ e: pii });
  });

  it.each([
    ['substring(email, 1, 1) as e'],
    ["case when email is null then 'none' else 'some' end as e"],
    ['length(email) as e'],
    ['count(email) as e'],
    ["split_part(email, '@', 2) as e"],
  ])('%s gives no class', async (expression) => {
    expect(await classesOf('mart', { 'models/marts/mart.sql': `select ${expression} from {{ ref('stg_customers') }}` })).toEqual({});
  });
});

describe('masking macros break the inheritance', () => {
  it.each(['postgres', 'redshift'] as const)('on %s', async (type) => {
    const mart = `select
        {{ pii_hash('email') }} as email_hash,
        {{ pii_hash('lower(trim(email))') }} as email_hash_normalised,
        {{ pii_mask_email('email') }} as email_masked,
        {{ pii_phone_last_four('phone') }} as phone_last_four,
        {{ pii_birth_year('birth_date') }} as birth_year,
        {{ pii_age_band(pii_age_years('birth_date')) }} as age_band,
        {{ pii_redact('email') }} as email_redacted,
        email
    from {{ ref('stg_customers') }}`;
    expect(await classesOf('mart', { 'models/marts/mart.sql': mart }, type)).toEqual({ email: 'email' });
  });
});

describe('CTEs, subqueries and set operations', () => {
  it('follows a class through CTEs and a subquery in FROM', async () => {
    const mart = `with customers as (select * from {{ ref('stg_customers') }}),
      contacts as (select customer_id, lower(email) as contact, phone from customers)
      select contact, p.phone as phone_number from contacts join (select customer_id, phone from contacts) p using (customer_id)`;
    expect(await classesOf('mart', { 'models/marts/mart.sql': mart })).toEqual({ contact: 'email', phone_number: 'phone' });
  });

  it('follows an ephemeral model, which becomes a CTE', async () => {
    const models = {
      'models/staging/eph_contacts.sql': `{{ config(materialized='ephemeral') }}\nselect email as contact from {{ ref('stg_customers') }}`,
      'models/marts/mart.sql': `select contact from {{ ref('eph_contacts') }}`,
    };
    expect(await classesOf('mart', models)).toEqual({ contact: 'email' });
  });

  it('gives a union column the class any branch carries at that position', async () => {
    const mart = `select customer_id, 'none' as contact from {{ ref('stg_customers') }}
      union all select customer_id, email from {{ ref('stg_customers') }}`;
    expect(await classesOf('mart', { 'models/marts/mart.sql': mart })).toEqual({ contact: 'email' });
  });
});

describe('what lineage does not guess', () => {
  it('gives no class to columns of a relation it cannot read', async () => {
    const mart = `select email from analytics.some_table_written_by_hand`;
    expect(await classesOf('mart', { 'models/marts/mart.sql': mart })).toEqual({});
  });

  it('gives no class through renamed CTE columns, where names no longer mean the same', async () => {
    // Renamed by position: c.email is the customer id here, c.id the address.
    const mart = `with c (email, id) as (select customer_id, email from {{ ref('stg_customers') }}) select email, id from c`;
    expect(await classesOf('mart', { 'models/marts/mart.sql': mart })).toEqual({});
  });

  it('keeps a class declared in the model schema.yml over an inherited one', async () => {
    const schema = `version: 2
models:
  - name: mart
    columns:
      - name: contact
        meta: { pii: free_text }
`;
    const mart = `select email as contact from {{ ref('stg_customers') }}`;
    expect(await classesOf('mart', { 'models/marts/mart.sql': mart }, 'postgres', { 'models/marts/schema.yml': schema })).toEqual({ contact: 'free_text' });
  });
});

describe('lineage when no source is classified', () => {
  it('still passes a class a model declares in schema.yml to the models that read it', async () => {
    const schema = 'version: 2\nmodels:\n  - name: stg_people\n    columns:\n      - name: email\n        meta: { pii: email }\n';
    const files = await bareProject(
      {
        'models/staging/stg_people.sql': `select customer_id, email from {{ source('shop', 'customers') }}`,
        'models/marts/mart.sql': `select customer_id, email as contact from {{ ref('stg_people') }}`,
        'models/marts/plain.sql': `select customer_id from {{ source('shop', 'customers') }}`,
      },
      { pgshiftYml: pgshiftYml(), schemaFiles: { 'models/staging/schema.yml': schema } },
    );
    const manifest = compile(files);
    const classified = (name: string) =>
      Object.fromEntries(
        Object.values((nodeNamed(manifest, name) as ModelNode).columns)
          .filter((column) => column.pii)
          .map((column) => [column.name, column.pii]),
      );
    expect(classified('mart')).toEqual({ contact: 'email' });
    expect(classified('plain')).toEqual({});
  });
});
