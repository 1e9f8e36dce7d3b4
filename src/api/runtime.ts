// What every stage that touches the outside needs: the validated project, the chosen target
// (its spec at once, its connection settings and secrets only when asked) and connections
// opened lazily and closed once at the end.

import type { S3Client } from '@aws-sdk/client-s3';
import type pg from 'pg';
import type { Project, SourceTable } from '../config/project.js';
import { requirePiiKeyFor } from '../config/pii-key-policy.js';
import { chosenTargetName, resolveTarget, resolveTargetSpec, type Target, type TargetSpec } from '../config/target.js';
import { getPostgresConn, getS3Conn, sourceConnectionString } from '../connections.js';
import { ConfigError } from '../errors.js';
import { autoSlices } from '../extract/slice-plan.js';
import { availableParallelism } from 'node:os';
import { type GlobalOptions, openProject } from './open-project.js';

export { type GlobalOptions, openProject };

export interface Runtime {
  readonly project: Project;
  /** Name, dialect and schema: no secrets, so compile and ls work without any. */
  targetSpec(): TargetSpec;
  /** Resolved on first use: `extract` needs no warehouse. */
  target(): Target;
  s3(): S3Client;
  sourcePool(table: SourceTable): pg.Pool;
  close(): Promise<void>;
}

/** `slices`: --slices, which replaces every table's `slices:` for the command. */
export async function openRuntime(options: GlobalOptions, threads?: number, slices?: number | 'auto'): Promise<Runtime> {
  const loaded = await openProject(options);
  const project: Project = slices === undefined ? loaded : { ...loaded, tables: loaded.tables.map((table) => ({ ...table, slices })) };
  // Before any connection opens: extract and load hash secret columns too, not only models.
  requirePiiKeyFor(chosenTargetName(project, options.target));
  const pools = new Map<string, pg.Pool>();
  let s3: S3Client | undefined;
  let target: Target | undefined;
  // Rendered once: a profile's settings (env_var() included) cannot change during a command.
  let spec: TargetSpec | undefined;
  return {
    project,
    targetSpec: () => (spec ??= resolveTargetSpec(project, options.target)),
    target: () => (target ??= resolveTarget(project, options.target)),
    s3: () => (s3 ??= getS3Conn({ ...project.staging.client })),
    sourcePool(table) {
      const existing = pools.get(table.connectionEnv);
      if (existing) return existing;
      const connectionString = sourceConnectionString(table.connectionEnv);
      if (!connectionString) {
        throw new ConfigError(
          `source ${table.source}: environment variable ${table.connectionEnv} is not set; set it to the source database's postgres:// URL`,
          { table: table.id },
        );
      }
      const pool = getPostgresConn({
        connectionString,
        // Each table extracted at once holds its snapshot's connection plus one per range it reads
        // at once; a smaller pool could leave every table waiting for another's connection.
        max: (threads ?? project.threads) * (1 + maxSlicesOf(project.tables)),
        connection: { label: `source ${table.source}`, env: table.connectionEnv },
        timeouts: project.timeouts,
      });
      pools.set(table.connectionEnv, pool);
      return pool;
    },
    async close() {
      await Promise.allSettled([...pools.values()].map((pool) => pool.end()));
      s3?.destroy();
    },
  };
}

/** The most connections any table's ranges take at once (`auto`: one per core, up to 8). */
function maxSlicesOf(tables: readonly SourceTable[]): number {
  return Math.max(1, ...tables.map((table) => (table.slices === 'auto' ? autoSlices(availableParallelism()) : table.slices)));
}
