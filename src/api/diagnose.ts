// `debug` and `smoke`: the configuration, connections and warehouse privileges checked, and a
// bounded end-to-end proof in a scratch schema, on whatever target the flags name.

import { intervalFromFlags } from '../batch/interval.js';
import { sourceConnectionString } from '../connections.js';
import { runChecks, type CheckResult } from '../diagnose/checks.js';
import { debugChecks } from '../diagnose/debug-checks.js';
import { smokeChecks } from '../diagnose/smoke-checks.js';
import { ConfigError, errorMessage, PgshiftError } from '../errors.js';
import { openWarehouse } from '../warehouse/open-warehouse.js';
import { openRuntime, type GlobalOptions } from './runtime.js';

export interface DiagnoseOptions {
  /** Seconds each check may take before it fails. */
  readonly timeoutSeconds: number;
}

/** Every check of `pgshift debug`; a project that does not load is one failed check. */
export async function debugProject(globals: GlobalOptions, options: DiagnoseOptions): Promise<CheckResult[]> {
  const runtime = await openRuntime(globals).catch((error: unknown) => {
    if (error instanceof ConfigError) return error;
    throw error;
  });
  if (runtime instanceof ConfigError) return [{ name: 'configuration', status: 'fail', detail: runtime.message, ms: 0 }];
  const { checks, close } = debugChecks({
    project: runtime.project,
    resolveTarget: () => runtime.target(),
    s3: () => runtime.s3(),
    sourceUrl: (connectionEnv) => sourceConnectionString(connectionEnv),
    openWarehouse: (target) => openWarehouse(target, () => runtime.s3(), 1),
  });
  try {
    return await runChecks(checks, { timeoutMs: options.timeoutSeconds * 1000 });
  } finally {
    await close();
    await runtime.close();
  }
}

export interface SmokeOptions extends DiagnoseOptions {
  /** The source whose database holds the temporary every-type table (default: the first). */
  readonly source?: string;
}

export async function smokeTarget(globals: GlobalOptions, options: SmokeOptions): Promise<CheckResult[]> {
  const runtime = await openRuntime(globals);
  try {
    const { project } = runtime;
    const table = options.source ? project.tables.find((candidate) => candidate.source === options.source) : project.tables[0];
    if (!table) {
      const known = [...new Set(project.tables.map((candidate) => candidate.source))].join(', ');
      throw new ConfigError(
        options.source
          ? `--source ${options.source}: no such source in ${project.file} (sources: ${known})`
          : `${project.file} declares no source table; smoke needs a source database`,
        { file: project.file },
      );
    }
    const sourceUrl = sourceConnectionString(table.connectionEnv);
    if (!sourceUrl)
      throw new ConfigError(`source ${table.source}: environment variable ${table.connectionEnv} is not set; set it to the source database's postgres:// URL`, {
        table: table.id,
      });
    const warehouse = await openWarehouse(runtime.target(), () => runtime.s3(), 1);
    try {
      const smoke = smokeChecks({
        sourceUrl,
        warehouse,
        s3: runtime.s3(),
        staging: project.staging,
        interval: intervalFromFlags({ date: new Date().toISOString().slice(0, 10), allowOpenInterval: true }),
      });
      try {
        return await runChecks(smoke.checks, { timeoutMs: options.timeoutSeconds * 1000 });
      } finally {
        await smoke.cleanup().catch((error: unknown) => {
          throw new PgshiftError('SMOKE_CLEANUP_FAILED', errorMessage(error), { schema: smoke.schema });
        });
      }
    } finally {
      await warehouse.close();
    }
  } finally {
    await runtime.close();
  }
}
