// The difference between desired and current privileges as statements: create the missing
// managed roles, revoke what managed roles hold but nobody declared, grant what is missing.
// Pure, so the exact SQL is golden-tested per warehouse.

import type { Dialect } from '../warehouse/warehouse.js';
import { createRoleSql, relationGrantSql, schemaGrantSql } from './grant-sql.js';
import type { DesiredGrants, GrantSnapshot, RelationPrivilege, SchemaPrivilege } from './grant-state.js';
import { relationPrivilegeKey, schemaPrivilegeKey } from './grant-state.js';
import { comparePrivileges } from './privileges.js';

export interface GrantStatement {
  readonly kind: 'create-role' | 'revoke' | 'grant';
  readonly sql: string;
}

/**
 * Statements in the order they must run: roles first (grants need them), then revokes, then
 * grants; a failure half-way then leaves less access, not more. Within each step statements
 * are sorted, and one statement carries all privileges of one role on one object.
 */
export function planGrants(dialect: Dialect, desired: DesiredGrants, current: GrantSnapshot): GrantStatement[] {
  const existing = new Set(current.roles);
  const statements: GrantStatement[] = [...desired.roles]
    .filter((role) => !existing.has(role))
    .sort()
    .map((role) => ({ kind: 'create-role', sql: createRoleSql(dialect, role) }));

  const schemaDiff = difference(desired.schemaPrivileges, current.schemaPrivileges, schemaPrivilegeKey);
  const relationDiff = difference(desired.relationPrivileges, current.relationPrivileges, relationPrivilegeKey);
  // Relations before schemas on revoke, schemas before relations on grant: the reverse of
  // how access is built up, so every intermediate state is one a user could have been given.
  statements.push(
    ...relationStatements(dialect, 'revoke', relationDiff.extra),
    ...schemaStatements(dialect, 'revoke', schemaDiff.extra),
    ...schemaStatements(dialect, 'grant', schemaDiff.missing),
    ...relationStatements(dialect, 'grant', relationDiff.missing),
  );
  return statements;
}

function difference<T>(desired: readonly T[], current: readonly T[], key: (item: T) => string): { missing: T[]; extra: T[] } {
  const want = new Set(desired.map(key));
  const have = new Set(current.map(key));
  return { missing: desired.filter((item) => !have.has(key(item))), extra: current.filter((item) => !want.has(key(item))) };
}

function schemaStatements(dialect: Dialect, action: 'grant' | 'revoke', grants: readonly SchemaPrivilege[]): GrantStatement[] {
  return grouped(grants, (grant) => [grant.schema, grant.role]).map(([[schema, role], privileges]) => ({
    kind: action,
    sql: schemaGrantSql(dialect, action, privileges, schema!, role!),
  }));
}

function relationStatements(dialect: Dialect, action: 'grant' | 'revoke', grants: readonly RelationPrivilege[]): GrantStatement[] {
  return grouped(grants, (grant) => [grant.schema, grant.relation, grant.role]).map(([[schema, relation, role], privileges]) => ({
    kind: action,
    sql: relationGrantSql(dialect, action, privileges, schema!, relation!, role!),
  }));
}

/** Privileges grouped by object and role, groups sorted by those names, privileges in their usual order. */
function grouped<T extends { readonly privilege: string }>(grants: readonly T[], by: (grant: T) => string[]): [string[], string[]][] {
  const groups = new Map<string, [string[], Set<string>]>();
  for (const grant of grants) {
    const parts = by(grant);
    const key = JSON.stringify(parts);
    const group = groups.get(key) ?? [parts, new Set<string>()];
    group[1].add(grant.privilege);
    groups.set(key, group);
  }
  return [...groups.values()].sort(([a], [b]) => compareParts(a, b)).map(([parts, privileges]) => [parts, [...privileges].sort(comparePrivileges)]);
}

function compareParts(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const order = compareText(a[i] ?? '', b[i] ?? '');
    if (order !== 0) return order;
  }
  return 0;
}

/** Code-point order: the same on every machine, whatever its locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
