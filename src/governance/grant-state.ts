// The shapes governance compares: what the catalog holds now (a snapshot) and what the
// configuration asks for. Both are plain lists of (role, object, privilege) facts.

export interface SchemaPrivilege {
  readonly role: string;
  readonly schema: string;
  /** Lower case: `usage`, `create`. */
  readonly privilege: string;
}

export interface RelationPrivilege {
  readonly role: string;
  readonly schema: string;
  readonly relation: string;
  /** Lower case: `select`, `insert`, … */
  readonly privilege: string;
}

export interface CatalogSchema {
  readonly name: string;
  /** The owning role; null where owners cannot be managed roles (Redshift). */
  readonly owner: string | null;
}

export interface CatalogRelation {
  readonly schema: string;
  readonly name: string;
  /** Views (and materialized views) are read, never written. */
  readonly kind: 'table' | 'view';
  readonly owner: string | null;
}

/**
 * The catalog as far as governance looks: managed roles that exist, managed schemas that
 * exist, their relations, and the privileges managed roles hold on them. An owner's implicit
 * privileges are not grants and are left out.
 */
export interface GrantSnapshot {
  readonly roles: readonly string[];
  readonly schemas: readonly CatalogSchema[];
  readonly relations: readonly CatalogRelation[];
  readonly schemaPrivileges: readonly SchemaPrivilege[];
  readonly relationPrivileges: readonly RelationPrivilege[];
}

/** What should hold after reconciling: every managed role, and exactly these privileges. */
export interface DesiredGrants {
  readonly roles: readonly string[];
  readonly schemaPrivileges: readonly SchemaPrivilege[];
  readonly relationPrivileges: readonly RelationPrivilege[];
}

export function schemaPrivilegeKey(grant: SchemaPrivilege): string {
  return JSON.stringify([grant.role, grant.schema, grant.privilege]);
}

export function relationPrivilegeKey(grant: RelationPrivilege): string {
  return JSON.stringify([grant.role, grant.schema, grant.relation, grant.privilege]);
}

/** A relation a governance test holds (governance-holds.ts). */
export interface HeldRelation {
  readonly schema: string;
  readonly relation: string;
}

export function heldKey(relation: HeldRelation): string {
  return JSON.stringify([relation.schema, relation.relation]);
}
