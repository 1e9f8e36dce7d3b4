// A non-superuser database identity for pgshift, with exactly what an admin grants it on
// Redshift, so tests that run the emulator as it (`runAs`) meet the refusals a real load meets:
// CREATE on the database (pgshift creates its schemas: raw, pgshift_meta, model schemas),
// TEMP, USAGE and CREATE on schemas that exist already (public, where "all users have CREATE
// and USAGE privileges" by default on Redshift: https://docs.aws.amazon.com/redshift/latest/dg/r_Schemas_and_tables.html),
// and, for grant reconciliation, the right to create roles (CREATE ROLE on Redshift:
// https://docs.aws.amazon.com/redshift/latest/dg/r_GRANT.html, system permissions).
// Anything else pgshift needs must fail here as it will there.

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { quoteIdent } from '../../src/sql/quote-ident.js';

export interface WarehouseIdentity {
  /** The role name, for the emulator's `runAs` and for DbUser. */
  readonly name: string;
  /** Hands what the identity owns in the database to the admin, then drops the role. */
  drop(): Promise<void>;
}

export interface WarehouseIdentityOptions {
  /** Existing schemas it gets USAGE and CREATE on (default: public). */
  schemas?: readonly string[];
  /** May create and grant roles (default true: pgshift's grant reconciliation needs it). */
  createRole?: boolean;
}

export async function createWarehouseIdentity(databaseUrl: string, options: WarehouseIdentityOptions = {}): Promise<WarehouseIdentity> {
  const name = `pgshift_loader_${randomBytes(4).toString('hex')}`;
  const role = quoteIdent(name);
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ db: string }>('select current_database() as db');
    await admin.query(`create role ${role} login nosuperuser nocreatedb ${options.createRole === false ? 'nocreaterole' : 'createrole'}`);
    await admin.query(`grant create, temporary on database ${quoteIdent(rows[0]!.db)} to ${role}`);
    for (const schema of options.schemas ?? ['public']) await admin.query(`grant usage, create on schema ${quoteIdent(schema)} to ${role}`);
  } finally {
    await admin.end();
  }
  return {
    name,
    async drop() {
      const client = new pg.Client({ connectionString: databaseUrl });
      try {
        await client.connect();
        // Objects outlive the identity (a later emulator on the same database still finds them);
        // DROP OWNED then only takes its privileges away.
        await client.query(`reassign owned by ${role} to current_user`);
        await client.query(`drop owned by ${role}`);
      } catch {
        // The database may be gone already; then the role owns nothing that blocks its drop.
      } finally {
        await client.end().catch(() => {});
      }
      const maintenance = new URL(databaseUrl);
      maintenance.pathname = '/postgres';
      const server = new pg.Client({ connectionString: maintenance.toString() });
      await server.connect();
      try {
        await server.query(`drop role if exists ${role}`);
      } finally {
        await server.end();
      }
    },
  };
}
