// The current grants on PostgreSQL, from the catalog: pg_roles for roles, aclexplode() of
// pg_namespace.nspacl and pg_class.relacl for schema and relation privileges. Only direct
// grants count (not privileges inherited through membership), and an owner's entry in an ACL
// is left out: ownership is not a grant, and revoking from an owner would cripple it.

import type { Warehouse } from '../warehouse/warehouse.js';
import type { GrantSnapshot } from './grant-state.js';
import { placeholders } from './sql-lists.js';

// Tables, partitioned tables, views, materialized views.
const RELKINDS = `('r', 'p', 'v', 'm')`;

export async function readPostgresGrants(warehouse: Warehouse, roles: readonly string[], schemas: readonly string[]): Promise<GrantSnapshot> {
  const inRoles = placeholders(roles.length, schemas.length + 1);
  const inSchemas = placeholders(schemas.length);
  const both = [...schemas, ...roles];
  const [existingRoles, existingSchemas, relations, schemaPrivileges, relationPrivileges] = await Promise.all([
    roles.length === 0 ? [] : warehouse.query<{ name: string }>(`select rolname as name from pg_roles where rolname in (${placeholders(roles.length)})`, roles),
    schemas.length === 0
      ? []
      : warehouse.query<{ name: string; owner: string }>(
          `select nspname as name, pg_get_userbyid(nspowner) as owner from pg_namespace where nspname in (${inSchemas})`,
          schemas,
        ),
    schemas.length === 0
      ? []
      : warehouse.query<{ schema: string; name: string; kind: 'table' | 'view'; owner: string }>(
          `select n.nspname as schema, c.relname as name,
                  case when c.relkind in ('v', 'm') then 'view' else 'table' end as kind,
                  pg_get_userbyid(c.relowner) as owner
             from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname in (${inSchemas}) and c.relkind in ${RELKINDS}`,
          schemas,
        ),
    roles.length === 0 || schemas.length === 0
      ? []
      : warehouse.query<{ role: string; schema: string; privilege: string }>(
          `select r.rolname as role, n.nspname as schema, lower(a.privilege_type) as privilege
             from pg_namespace n
             cross join lateral aclexplode(n.nspacl) a
             join pg_roles r on r.oid = a.grantee
            where n.nspname in (${inSchemas}) and r.rolname in (${inRoles}) and a.grantee <> n.nspowner`,
          both,
        ),
    roles.length === 0 || schemas.length === 0
      ? []
      : warehouse.query<{ role: string; schema: string; relation: string; privilege: string }>(
          `select r.rolname as role, n.nspname as schema, c.relname as relation, lower(a.privilege_type) as privilege
             from pg_class c
             join pg_namespace n on n.oid = c.relnamespace
             cross join lateral aclexplode(c.relacl) a
             join pg_roles r on r.oid = a.grantee
            where n.nspname in (${inSchemas}) and c.relkind in ${RELKINDS} and r.rolname in (${inRoles}) and a.grantee <> c.relowner`,
          both,
        ),
  ]);
  return {
    roles: existingRoles.map((row) => row.name),
    schemas: existingSchemas,
    relations,
    schemaPrivileges,
    relationPrivileges,
  };
}
