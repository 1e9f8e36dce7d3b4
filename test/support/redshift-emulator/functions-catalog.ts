// Redshift's system views of roles and privileges (SVV_ROLES, SVV_SCHEMA_PRIVILEGES,
// SVV_RELATION_PRIVILEGES), built over PostgreSQL's catalog with Redshift's column names.
// Roles are the roles that cannot log in; users are the others. What they cannot show:
// Redshift's scoped permissions, datashares and the privileges PostgreSQL does not have.

export const CATALOG_VIEWS = [
  `create or replace view public.svv_roles as
     select r.oid::int as role_id, r.rolname::text as role_name, null::text as role_owner, null::text as external_id
       from pg_roles r where not r.rolcanlogin`,
  `create or replace view public.svv_schema_privileges as
     select n.nspname::text as namespace_name, a.privilege_type::text as privilege_type, r.oid::int as identity_id,
            r.rolname::text as identity_name, case when r.rolcanlogin then 'user' else 'role' end as identity_type,
            a.is_grantable as admin_option, 'SCHEMA'::text as privilege_scope
       from pg_namespace n cross join lateral aclexplode(n.nspacl) a join pg_roles r on r.oid = a.grantee`,
  `create or replace view public.svv_relation_privileges as
     select n.nspname::text as namespace_name, c.relname::text as relation_name, a.privilege_type::text as privilege_type,
            r.oid::int as identity_id, r.rolname::text as identity_name,
            case when r.rolcanlogin then 'user' else 'role' end as identity_type, a.is_grantable as admin_option
       from pg_class c join pg_namespace n on n.oid = c.relnamespace cross join lateral aclexplode(c.relacl) a
       join pg_roles r on r.oid = a.grantee
      where c.relkind in ('r', 'p', 'v', 'm')`,
];
