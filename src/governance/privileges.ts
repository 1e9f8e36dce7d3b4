// Which privileges a declared role gets, per warehouse, and the order statements list them in.

import type { Dialect } from '../warehouse/warehouse.js';

/** On a readable schema: USAGE; on each table and view in it: SELECT. */
export const READ_SCHEMA_PRIVILEGES = ['usage'] as const;
export const READ_RELATION_PRIVILEGES = ['select'] as const;
/** On a writable schema, besides read: CREATE, so the role can add tables. */
export const WRITE_SCHEMA_PRIVILEGES = ['create'] as const;

/**
 * Write privileges on each table (never views) of a writable schema. Redshift leaves TRUNCATE
 * out: SVV_RELATION_PRIVILEGES does not list it, so a granted TRUNCATE could never be seen
 * again and every reconcile would grant it anew; pgshift's Redshift loads delete instead.
 */
export function writeRelationPrivileges(dialect: Dialect): readonly string[] {
  return dialect === 'postgres' ? ['insert', 'update', 'delete', 'truncate'] : ['insert', 'update', 'delete'];
}

/**
 * What a model's `grants:` config may name, per warehouse. Redshift's GRANT … ON TABLE takes
 * SELECT, INSERT, UPDATE, DELETE, DROP and REFERENCES; its ALTER is a datashare privilege only
 * (https://docs.aws.amazon.com/redshift/latest/dg/r_GRANT.html), so `alter` is refused at compile time.
 */
export function grantableRelationPrivileges(dialect: Dialect): readonly string[] {
  return dialect === 'postgres'
    ? ['select', 'insert', 'update', 'delete', 'truncate', 'references', 'trigger']
    : ['select', 'insert', 'update', 'delete', 'references', 'drop'];
}

// Statements list privileges in the order people write them, unknown ones last, by name.
const ORDER = ['usage', 'create', 'select', 'insert', 'update', 'delete', 'truncate', 'references', 'trigger', 'drop', 'alter'];

export function comparePrivileges(a: string, b: string): number {
  const rank = (privilege: string): number => {
    const index = ORDER.indexOf(privilege);
    return index === -1 ? ORDER.length : index;
  };
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}
