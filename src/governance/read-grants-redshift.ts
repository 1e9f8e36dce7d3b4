// The current grants on Redshift, from the views Redshift provides for role-based access
// control: SVV_ROLES for roles, SVV_SCHEMA_PRIVILEGES and SVV_RELATION_PRIVILEGES for explicit
// grants to roles (identity_type 'role'; users and groups are not managed). Relations come from
// pg_class, which Redshift keeps for its leader node. Roles cannot own objects in Redshift, so
// no owner needs leaving out.
//
// The emulator used in tests is PostgreSQL: it has no SVV_* views, so tests create stand-ins
// built on aclexplode(), and it cannot show what only Redshift records, such as scoped
// permissions (privilege_scope other than SCHEMA), DROP/ALTER grants on tables, or roles
// granted to roles.

import type { Warehouse } from '../warehouse/warehouse.js';
import type { GrantSnapshot } from './grant-state.js';
import { placeholders } from './sql-lists.js';

export async function readRedshiftGrants(warehouse: Warehouse, roles: readonly string[], schemas: readonly string[]): Promise<GrantSnapshot> {
  const inRoles = placeholders(roles.length, schemas.length + 1);
  const inSchemas = placeholders(schemas.length);
  const both = [...schemas, ...roles];
  // The Data API runs one statement at a time per call anyway; sequential keeps the load light.
  const existingRoles =
    roles.length === 0
      ? []
      : await warehouse.query<{ name: string }>(`select role_name as name from svv_roles where role_name in (${placeholders(roles.length)})`, roles);
  if (schemas.length === 0) return { roles: existingRoles.map((row) => row.name), schemas: [], relations: [], schemaPrivileges: [], relationPrivileges: [] };
  const existingSchemas = await warehouse.query<{ name: string }>(`select nspname as name from pg_namespace where nspname in (${inSchemas})`, schemas);
  const relations = await warehouse.query<{ schema: string; name: string; kind: 'table' | 'view' }>(
    `select n.nspname as schema, c.relname as name, case when c.relkind = 'v' then 'view' else 'table' end as kind
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname in (${inSchemas}) and c.relkind in ('r', 'v')`,
    schemas,
  );
  const schemaPrivileges =
    roles.length === 0
      ? []
      : await warehouse.query<{ role: string; schema: string; privilege: string }>(
          // Scoped permissions (privilege_scope TABLES/FUNCTIONS) are listed here too; they are
          // not schema privileges and governance does not manage them.
          `select identity_name as role, namespace_name as schema, lower(privilege_type) as privilege
             from svv_schema_privileges
            where identity_type = 'role' and privilege_scope = 'SCHEMA' and namespace_name in (${inSchemas}) and identity_name in (${inRoles})`,
          both,
        );
  const relationPrivileges =
    roles.length === 0
      ? []
      : await warehouse.query<{ role: string; schema: string; relation: string; privilege: string }>(
          `select identity_name as role, namespace_name as schema, relation_name as relation, lower(privilege_type) as privilege
             from svv_relation_privileges
            where identity_type = 'role' and namespace_name in (${inSchemas}) and identity_name in (${inRoles})`,
          both,
        );
  return {
    roles: existingRoles.map((row) => row.name),
    schemas: existingSchemas.map((row) => ({ name: row.name, owner: null })),
    relations: relations.map((relation) => ({ ...relation, owner: null })),
    schemaPrivileges,
    relationPrivileges,
  };
}
