// Redshift's system views of roles and privileges (SVV_ROLES, SVV_SCHEMA_PRIVILEGES,
// SVV_RELATION_PRIVILEGES), built over PostgreSQL's catalog with Redshift's column names.
// Roles are the roles that cannot log in; users are the others. What they cannot show:
// Redshift's scoped permissions, datashares and the privileges PostgreSQL does not have.
//
// Visibility per user: superusers see every row; "Other users can only see identities they have
// access to or own" (https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_RELATION_PRIVILEGES.html,
// https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_ROLES.html,
// https://docs.aws.amazon.com/redshift/latest/dg/cm_chap_system-tables.html#c_visibility-of-data).
// Here: the identity is the caller, a role the caller is a member of or administers, or a role
// it created (PostgreSQL keeps no role owner, so the emulator records who ran CREATE ROLE).

import { DESIGN_TABLE_SQL } from './physical-design.js';

const VISIBLE = `(exists (select 1 from pg_roles me where me.rolname = current_user and me.rolsuper)
                  or pg_has_role(current_user, r.oid, 'USAGE') or pg_has_role(current_user, r.oid, 'MEMBER WITH ADMIN OPTION')
                  or exists (select 1 from redshift_emulator.role_owners o where o.role_name = r.rolname and o.owner_name = current_user))`;

export const CATALOG_VIEWS = [
  'create schema if not exists redshift_emulator',
  'create table if not exists redshift_emulator.role_owners (role_name name primary key, owner_name name not null)',
  // Late-binding views keep their query in a function here (late-binding-views.ts).
  'grant usage, create on schema redshift_emulator to public',
  'grant select, insert, update, delete on redshift_emulator.role_owners to public',
  ...DESIGN_TABLE_SQL,
  `create or replace view public.svv_roles as
     select r.oid::int as role_id, r.rolname::text as role_name,
            (select o.owner_name::text from redshift_emulator.role_owners o where o.role_name = r.rolname) as role_owner, null::text as external_id
       from pg_roles r where not r.rolcanlogin and ${VISIBLE}`,
  `create or replace view public.svv_schema_privileges as
     select n.nspname::text as namespace_name, a.privilege_type::text as privilege_type, r.oid::int as identity_id,
            r.rolname::text as identity_name, case when r.rolcanlogin then 'user' else 'role' end as identity_type,
            a.is_grantable as admin_option, 'SCHEMA'::text as privilege_scope
       from pg_namespace n cross join lateral aclexplode(n.nspacl) a join pg_roles r on r.oid = a.grantee
      where ${VISIBLE}`,
  `create or replace view public.svv_relation_privileges as
     select n.nspname::text as namespace_name, c.relname::text as relation_name, a.privilege_type::text as privilege_type,
            r.oid::int as identity_id, r.rolname::text as identity_name,
            case when r.rolcanlogin then 'user' else 'role' end as identity_type, a.is_grantable as admin_option
       from pg_class c join pg_namespace n on n.oid = c.relnamespace cross join lateral aclexplode(c.relacl) a
       join pg_roles r on r.oid = a.grantee
      where c.relkind in ('r', 'p', 'v', 'm') and ${VISIBLE}`,
  // Each column's encoding and key role, as the physical design this emulator remembers holds them
  // (https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_REDSHIFT_COLUMNS.html): sortkey is the
  // column's position in the sort key (0 when none), encoding 'none' where nothing was recorded.
  `create or replace view public.svv_redshift_columns as
     select current_database()::text as database_name, n.nspname::text as schema_name, c.relname::text as table_name,
            a.attname::text as column_name, a.attnum::int as ordinal_position, format_type(a.atttypid, a.atttypmod) as data_type,
            coalesce(d.encoding, 'none') as encoding, coalesce(d.distkey, false) as distkey,
            case when coalesce(d.sortkey, false) then 1 else 0 end as sortkey
       from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
       left join redshift_emulator.column_design d on d.table_oid = c.oid and d.column_name = a.attname
      where a.attnum > 0 and not a.attisdropped and c.relkind in ('r', 'p', 'v', 'm')
        and n.nspname not in ('pg_catalog', 'information_schema', 'redshift_emulator')`,
  // The columns of tables and views (https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_COLUMNS.html)
  // and the relations with their kind (https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_TABLES.html),
  // with information_schema's column names, which Redshift keeps.
  `create or replace view public.svv_columns as
     select table_catalog::text, table_schema::text, table_name::text, column_name::text, ordinal_position::int,
            column_default::text, is_nullable::text, data_type::text, character_maximum_length::int,
            numeric_precision::int, numeric_scale::int, null::text as remarks
       from information_schema.columns
      where table_schema not in ('pg_catalog', 'information_schema', 'redshift_emulator')`,
  `create or replace view public.svv_tables as
     select table_catalog::text, table_schema::text, table_name::text, table_type::text, null::text as remarks
       from information_schema.tables
      where table_schema not in ('pg_catalog', 'information_schema', 'redshift_emulator')`,
  // Each user table's row count, for superusers only and never for an empty table
  // (https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_TABLE_INFO.html); tbl_rows here counts
  // PostgreSQL's live rows, where Redshift's counts rows deleted but not yet vacuumed too.
  `create or replace view public.svv_table_info as
     select current_database()::text as database, n.nspname::text as schema, c.oid as table_id, c.relname::text as table,
            s.n_live_tup::numeric(38, 0) as tbl_rows
       from pg_class c join pg_namespace n on n.oid = c.relnamespace join pg_stat_all_tables s on s.relid = c.oid
      where c.relkind in ('r', 'p') and s.n_live_tup > 0
        and n.nspname not in ('pg_catalog', 'information_schema', 'redshift_emulator', 'pg_toast')
        and exists (select 1 from pg_roles me where me.rolname = current_user and me.rolsuper)`,
  // System views are readable by every user, as on Redshift (SVV_TABLE_INFO shows rows to superusers only).
  'grant select on public.svv_roles, public.svv_schema_privileges, public.svv_relation_privileges, public.svv_redshift_columns to public',
  'grant select on public.svv_columns, public.svv_tables, public.svv_table_info to public',
];
