// Expands a policy against the catalog: read and write grants become privileges on the
// relations that exist right now. Reconciling after every build is what covers relations a
// build creates, so no default privileges are set: one mechanism, visible in one catalog query.

import type { CatalogRelation, DesiredGrants, GrantSnapshot, RelationPrivilege, SchemaPrivilege } from './grant-state.js';
import { relationPrivilegeKey, schemaPrivilegeKey } from './grant-state.js';
import type { GrantPolicy } from './grant-policy.js';
import { heldKey } from './grant-state.js';
import { READ_RELATION_PRIVILEGES, READ_SCHEMA_PRIVILEGES, WRITE_SCHEMA_PRIVILEGES, writeRelationPrivileges } from './privileges.js';

export function desiredGrants(policy: GrantPolicy, snapshot: GrantSnapshot): DesiredGrants {
  const schemaOwners = new Map(snapshot.schemas.map((schema) => [schema.name, schema.owner]));
  const relationsBySchema = new Map<string, CatalogRelation[]>();
  for (const relation of snapshot.relations) {
    const list = relationsBySchema.get(relation.schema) ?? [];
    list.push(relation);
    relationsBySchema.set(relation.schema, list);
  }
  const relationOwners = new Map(snapshot.relations.map((relation) => [JSON.stringify([relation.schema, relation.name]), relation.owner]));

  const schemaGrants = new Map<string, SchemaPrivilege>();
  const relationGrants = new Map<string, RelationPrivilege>();
  // An owner holds every privilege without a grant; granting it one anyway would show up as
  // a difference on every run, since the snapshot leaves owners' privileges out.
  const onSchema = (role: string, schema: string, privileges: readonly string[]): void => {
    if (!schemaOwners.has(schema) || schemaOwners.get(schema) === role) return;
    for (const privilege of privileges) {
      const grant = { role, schema, privilege };
      schemaGrants.set(schemaPrivilegeKey(grant), grant);
    }
  };
  const barred = new Set(policy.roles.filter((role) => !role.allowsPii).map((role) => role.name));
  const onRelation = (role: string, schema: string, relation: string, privileges: readonly string[]): void => {
    const owner = relationOwners.get(JSON.stringify([schema, relation]));
    if (owner === undefined || owner === role) return;
    // A relation a governance test holds is read by roles allowed PII only (governance-holds.ts).
    if (barred.has(role) && policy.held?.has(heldKey({ schema, relation }))) return;
    for (const privilege of privileges) {
      const grant = { role, schema, relation, privilege };
      relationGrants.set(relationPrivilegeKey(grant), grant);
    }
  };

  const write = writeRelationPrivileges(policy.dialect);
  for (const role of policy.roles) {
    for (const schema of role.readSchemas) {
      onSchema(role.name, schema, READ_SCHEMA_PRIVILEGES);
      for (const relation of relationsBySchema.get(schema) ?? []) onRelation(role.name, schema, relation.name, READ_RELATION_PRIVILEGES);
    }
    for (const schema of role.writeSchemas) {
      onSchema(role.name, schema, WRITE_SCHEMA_PRIVILEGES);
      for (const relation of relationsBySchema.get(schema) ?? []) {
        if (relation.kind === 'table') onRelation(role.name, schema, relation.name, write);
      }
    }
  }
  for (const grant of policy.modelGrants) {
    // A relation the build has not created yet gets its grant on the run that creates it.
    if (!relationOwners.has(JSON.stringify([grant.schema, grant.relation]))) continue;
    onSchema(grant.role, grant.schema, READ_SCHEMA_PRIVILEGES);
    onRelation(grant.role, grant.schema, grant.relation, [grant.privilege]);
  }
  return {
    roles: policy.roles.map((role) => role.name),
    schemaPrivileges: [...schemaGrants.values()],
    relationPrivileges: [...relationGrants.values()],
  };
}
