// GRANT, REVOKE and CREATE ROLE as each warehouse spells them. Redshift's role-based access
// control needs the ROLE keyword before a role grantee (`to role marketing`), else the name is
// read as a user; PostgreSQL has only roles and takes the bare name.

import { quoteIdent, quoteQualified } from '../sql/quote-ident.js';
import type { Dialect } from '../warehouse/warehouse.js';

export function createRoleSql(dialect: Dialect, role: string): string {
  // NOLOGIN: a managed role is a bundle of privileges; people log in as users who are members.
  return dialect === 'postgres' ? `create role ${quoteIdent(role)} nologin` : `create role ${quoteIdent(role)}`;
}

export function schemaGrantSql(dialect: Dialect, action: 'grant' | 'revoke', privileges: readonly string[], schema: string, role: string): string {
  return `${action} ${privileges.join(', ')} on schema ${quoteIdent(schema)} ${action === 'grant' ? 'to' : 'from'} ${grantee(dialect, role)}`;
}

export function relationGrantSql(
  dialect: Dialect,
  action: 'grant' | 'revoke',
  privileges: readonly string[],
  schema: string,
  relation: string,
  role: string,
): string {
  // Redshift's grammar wants TABLE for views too; PostgreSQL takes the relation name alone.
  const object = dialect === 'redshift' ? `table ${quoteQualified(schema, relation)}` : quoteQualified(schema, relation);
  return `${action} ${privileges.join(', ')} on ${object} ${action === 'grant' ? 'to' : 'from'} ${grantee(dialect, role)}`;
}

function grantee(dialect: Dialect, role: string): string {
  return dialect === 'redshift' ? `role ${quoteIdent(role)}` : quoteIdent(role);
}
