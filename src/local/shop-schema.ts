// DDL of the demo source `shop`: the tables an online shop's application keeps in `public`,
// with an index on each table's cursor column (`updated_at`) and the natural foreign keys.

import { quoteIdent, quoteQualified } from '../sql/quote-ident.js';

import type { Queryable } from '../sql/queryable.js';

export type { Queryable };

/** Tables in dependency order: a table only references tables before it. */
export const SHOP_TABLES = ['customers', 'products', 'orders', 'sales'] as const;
export type ShopTable = (typeof SHOP_TABLES)[number];

// `customers.address` is `text`, not `json`/`jsonb`, on purpose: the application writes the
// JSON it receives without validating it, so the source holds partial and even malformed
// JSON, and the pipeline has to cope with that downstream instead of failing on load.
const TABLES_DDL = `
drop table if exists public.sales, public.orders, public.products, public.customers cascade;

create table public.customers (
  id          bigint primary key,
  first_name  text not null,
  last_name   text not null,
  email       text,
  phone       text,
  birth_date  date,
  address     text,
  national_id text,
  created_at  timestamptz not null,
  updated_at  timestamptz not null
);
comment on column public.customers.email is 'as typed by the customer: mixed case and stray spaces happen';
comment on column public.customers.phone is 'free text: +49 151 2345678, 0151/2345678, (030) 123-456, ...';
comment on column public.customers.address is 'JSON text, unvalidated: {street, city, postal_code, country, geo: {lat, lon}}; may be NULL, partial or malformed';
comment on column public.customers.national_id is 'PII: national id number (fake in the demo); must never reach the warehouse unmasked';

create table public.products (
  id         bigint primary key,
  name       text not null,
  category   text not null,
  price      numeric(10,2) not null,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
comment on column public.products.price is 'current list price in EUR';

create table public.orders (
  id          bigint primary key,
  customer_id bigint not null,
  product_id  bigint not null,
  quantity    integer,
  status      text not null,
  created_at  timestamptz not null,
  updated_at  timestamptz not null
);
comment on column public.orders.product_id is 'the product of the first order line (what the order list shows)';
comment on column public.orders.quantity is 'total units over all order lines; NULL where the legacy checkout did not fill it';
comment on column public.orders.status is 'pending, shipped, delivered or cancelled, stored with inconsistent case and stray spaces';

create table public.sales (
  id         bigint primary key,
  order_id   bigint not null,
  product_id bigint not null,
  quantity   integer not null,
  unit_price numeric(10,2) not null,
  discount   numeric(5,2) not null default 0,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
comment on table public.sales is 'order lines';
comment on column public.sales.discount is 'percent off unit_price (10.00 = 10 %)';
`;

// Foreign keys and secondary indexes are kept apart from the tables so that a bulk load can
// drop them, insert, and add them back: checking a foreign key row by row costs more than
// generating the row, while validating it afterwards is one join (what pg_restore does too).
const INDEXES = [
  ['customers', 'customers_updated_at_idx', 'updated_at'],
  ['products', 'products_updated_at_idx', 'updated_at'],
  ['orders', 'orders_updated_at_idx', 'updated_at'],
  ['orders', 'orders_customer_id_idx', 'customer_id'],
  ['sales', 'sales_updated_at_idx', 'updated_at'],
  ['sales', 'sales_order_id_idx', 'order_id'],
] as const;

const FOREIGN_KEYS = [
  ['orders', 'orders_customer_id_fkey', 'customer_id', 'customers'],
  ['orders', 'orders_product_id_fkey', 'product_id', 'products'],
  ['sales', 'sales_order_id_fkey', 'order_id', 'orders'],
  ['sales', 'sales_product_id_fkey', 'product_id', 'products'],
] as const;

function addIndexesAndKeysSql(): string {
  const indexes = INDEXES.map(([table, name, column]) => `create index ${quoteIdent(name)} on ${quoteQualified('public', table)} (${quoteIdent(column)});`);
  const keys = FOREIGN_KEYS.map(
    ([table, name, column, parent]) =>
      `alter table ${quoteQualified('public', table)} add constraint ${quoteIdent(name)} foreign key (${quoteIdent(column)}) references ${quoteQualified('public', parent)} (id);`,
  );
  return [...indexes, ...keys].join('\n');
}

/** Drops and creates the shop tables. One simple-protocol query, so it runs as one transaction. */
export async function createShopSchema(client: Queryable): Promise<void> {
  await client.query(`${TABLES_DDL}\n${addIndexesAndKeysSql()}`);
}

/** Drops the foreign keys and secondary indexes ahead of a bulk load. */
export async function dropShopIndexesAndKeys(client: Queryable): Promise<void> {
  const keys = FOREIGN_KEYS.map(([table, name]) => `alter table ${quoteQualified('public', table)} drop constraint if exists ${quoteIdent(name)};`);
  const indexes = INDEXES.map(([, name]) => `drop index if exists ${quoteQualified('public', name)};`);
  await client.query([...keys, ...indexes].join('\n'));
}

/** Builds the secondary indexes and validates the foreign keys after a bulk load. */
export async function addShopIndexesAndKeys(client: Queryable): Promise<void> {
  await client.query(addIndexesAndKeysSql());
}
