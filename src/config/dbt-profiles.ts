// Finds profiles.yml where dbt looks for it and reads the profile dbt_project.yml names:
// https://docs.getdbt.com/docs/core/connect-data-platform/connection-profiles
// Values are kept as written: env_var() in them is rendered only when they are used, so
// compiling never reads a password (src/config/profile-target.ts opens the connection).

import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { describeZodIssue, isRecord, knownKeysAt } from '../util/zod-issue.js';
import type { DbtProfile, DbtProfileOutput } from './project.js';
import { readYaml } from './read-yaml.js';
import { renderYamlValue } from './render-yaml-value.js';

type Environment = Readonly<Record<string, string | undefined>>;

export const PROFILES_FILE = 'profiles.yml';

// Values may be Jinja strings (`"{{ env_var('DBT_PORT') | as_number }}"`), so scalars are
// checked for their kind only after rendering, where they are used.
const scalar = z.union([z.string(), z.number(), z.boolean()], { error: 'must be a string, number or boolean' });
const common = {
  schema: scalar,
  threads: scalar.optional(),
  host: scalar.optional(),
  port: scalar.optional(),
  user: scalar.optional(),
  password: scalar.optional(),
  pass: scalar.optional(),
  dbname: scalar.optional(),
  database: scalar.optional(),
  sslmode: scalar.optional(),
  keepalives_idle: scalar.optional(),
  connect_timeout: scalar.optional(),
  retries: scalar.optional(),
};

// dbt-postgres' keys: https://docs.getdbt.com/docs/core/connect-data-platform/postgres-setup
const postgresOutput = z.strictObject({
  type: z.literal('postgres'),
  ...common,
  search_path: scalar.optional(),
  role: scalar.optional(),
  sslcert: scalar.optional(),
  sslkey: scalar.optional(),
  sslrootcert: scalar.optional(),
  application_name: scalar.optional(),
});

// dbt-redshift's keys (https://docs.getdbt.com/docs/core/connect-data-platform/redshift-setup)
// plus pgshift's Data API settings (workgroup_name or cluster_identifier, iam_role for COPY).
const redshiftOutput = z.strictObject({
  type: z.literal('redshift'),
  ...common,
  method: z.enum(['database', 'iam', 'iam_role', 'idc', 'browser']).optional(),
  cluster_id: scalar.optional(),
  iam_profile: scalar.optional(),
  region: scalar.optional(),
  autocreate: scalar.optional(),
  db_groups: z.array(scalar).optional(),
  ra3_node: scalar.optional(),
  autocommit: scalar.optional(),
  is_serverless: scalar.optional(),
  serverless_acct_id: scalar.optional(),
  serverless_work_group: scalar.optional(),
  access_key_id: scalar.optional(),
  secret_access_key: scalar.optional(),
  iam_duration_seconds: scalar.optional(),
  workgroup_name: scalar.optional(),
  cluster_identifier: scalar.optional(),
  db_user: scalar.optional(),
  iam_role: scalar.optional(),
  copy_region: scalar.optional(),
  statement_timeout: scalar.optional(),
});

const output = z.discriminatedUnion('type', [postgresOutput, redshiftOutput]);
const profileSchema = z.strictObject({ target: scalar, outputs: z.record(z.string(), output) });

export interface ProfileLookup {
  /** --profiles-dir. */
  readonly profilesDir?: string;
  readonly projectDir: string;
  readonly env?: Environment;
  readonly home?: string;
}

/** The folders searched, in dbt's order: --profiles-dir, else DBT_PROFILES_DIR, else the project dir, then ~/.dbt. */
export function profileCandidates(lookup: ProfileLookup): string[] {
  const env = lookup.env ?? process.env;
  if (lookup.profilesDir) return [path.resolve(lookup.profilesDir, PROFILES_FILE)];
  if (env.DBT_PROFILES_DIR) return [path.resolve(env.DBT_PROFILES_DIR, PROFILES_FILE)];
  return [path.resolve(lookup.projectDir, PROFILES_FILE), path.join(lookup.home ?? homedir(), '.dbt', PROFILES_FILE)];
}

/** The first profiles.yml found, or undefined when none of the candidates exists. */
export async function findProfilesFile(lookup: ProfileLookup): Promise<{ file: string; text: string } | undefined> {
  for (const file of profileCandidates(lookup)) {
    try {
      return { file, text: await readFile(file, 'utf8') };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return undefined;
}

/** Profile `name` of a profiles.yml text. */
export function parseProfile(text: string, file: string, name: string, env: Environment = process.env): DbtProfile {
  const all: unknown = readYaml(text, file) ?? {};
  if (!isRecord(all) || !isRecord(all[name])) {
    const known = isRecord(all) ? Object.keys(all).filter((key) => key !== 'config') : [];
    throw new ConfigError(`${file}: no profile '${name}' (the profile dbt_project.yml names); defined: ${known.join(', ') || 'none'}`, { file });
  }
  const input = all[name];
  const result = profileSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    if (issue.code === 'invalid_union' && issue.path.at(-1) === 'type') {
      throw new ConfigError(`${file}: ${name}.${issue.path.map(String).join('.')} must be postgres or redshift (the warehouses pgshift runs on)`, { file });
    }
    throw new ConfigError(`${file}: ${describeZodIssue(issue, input, name, (keyPath) => knownKeysAt(profileSchema, keyPath))}`, { file });
  }
  const target = String(renderYamlValue(result.data.target, { env }, `${file}: ${name}.target`));
  if (!result.data.outputs[target]) {
    throw new ConfigError(
      `${file}: ${name}.target is '${target}', which is not under ${name}.outputs (defined: ${Object.keys(result.data.outputs).join(', ')})`,
      {
        file,
      },
    );
  }
  return { file, name, target, outputs: result.data.outputs as Record<string, DbtProfileOutput> };
}
