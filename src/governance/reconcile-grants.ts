// Brings the warehouse's roles and grants in line with the declared policy and returns the
// statements it ran (the caller logs them). Idempotent: right after a reconcile, the next one
// finds nothing to change and runs nothing.

import { errorMessage } from '../errors.js';
import type { StatementOptions, Warehouse } from '../warehouse/warehouse.js';
import { desiredGrants } from './desired-grants.js';
import type { GrantPolicy } from './grant-policy.js';
import type { GrantSnapshot } from './grant-state.js';
import { planGrants, type GrantStatement } from './grants-plan.js';
import { readPostgresGrants } from './read-grants-postgres.js';
import { readRedshiftGrants } from './read-grants-redshift.js';

// BatchExecuteStatement's limit; see redshift-data-warehouse.ts.
const REDSHIFT_BATCH = 40;

export async function reconcileGrants(warehouse: Warehouse, desired: GrantPolicy, options: StatementOptions = {}): Promise<string[]> {
  const statements = await planReconcile(warehouse, desired);
  await runStatements(warehouse, statements, options);
  return statements.map((statement) => statement.sql);
}

/** What a reconcile would run now, without running it (a dry run). */
export async function planReconcile(warehouse: Warehouse, desired: GrantPolicy): Promise<GrantStatement[]> {
  const current = await readGrants(warehouse, desired);
  return planGrants(warehouse.dialect, desiredGrants(desired, current), current);
}

/**
 * Creates the managed roles that do not exist yet, before any model is built: publishing grants
 * to them in the swap transaction needs them. Returns the catalog as it was read.
 */
export async function ensureManagedRoles(warehouse: Warehouse, policy: GrantPolicy, options: StatementOptions = {}): Promise<GrantSnapshot> {
  const current = await readGrants(warehouse, policy);
  const missing = planGrants(warehouse.dialect, { roles: policy.roles.map((role) => role.name), schemaPrivileges: [], relationPrivileges: [] }, current);
  for (const statement of missing.filter((item) => item.kind === 'create-role')) await createRole(warehouse, statement.sql, options);
  return current;
}

export function readGrants(warehouse: Warehouse, policy: GrantPolicy): Promise<GrantSnapshot> {
  const roles = policy.roles.map((role) => role.name);
  return warehouse.dialect === 'postgres'
    ? readPostgresGrants(warehouse, roles, policy.managedSchemas)
    : readRedshiftGrants(warehouse, roles, policy.managedSchemas);
}

async function runStatements(warehouse: Warehouse, statements: readonly GrantStatement[], options: StatementOptions): Promise<void> {
  if (statements.length === 0) return;
  if (warehouse.dialect === 'postgres') {
    // One transaction: roles, revokes and grants land together or not at all.
    await warehouse.transaction(
      statements.map((statement) => ({ sql: statement.sql })),
      options,
    );
    return;
  }
  // Redshift: roles one by one outside a transaction block, then grants and revokes in
  // transactions of at most 40 statements. A failure leaves earlier batches applied; the next
  // reconcile picks up from whatever state that left.
  for (const statement of statements.filter((item) => item.kind === 'create-role')) await createRole(warehouse, statement.sql, options);
  const rest = statements.filter((item) => item.kind !== 'create-role').map((statement) => ({ sql: statement.sql }));
  for (let start = 0; start < rest.length; start += REDSHIFT_BATCH) {
    await warehouse.transaction(rest.slice(start, start + REDSHIFT_BATCH), options);
  }
}

/**
 * CREATE ROLE on Redshift, where a role that exists may still be missing from what pgshift read:
 * SVV_ROLES shows a regular user only the roles it owns or was granted; superusers and holders
 * of ACCESS SYSTEM TABLE see them all (https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_ROLES.html).
 * Such a role already exists, which is what the statement wanted, so that error is not a failure.
 */
async function createRole(warehouse: Warehouse, sql: string, options: StatementOptions): Promise<void> {
  try {
    await warehouse.execute(sql, [], options);
  } catch (error) {
    if (/already exists/i.test(errorMessage(error))) return;
    throw error;
  }
}
