// `report`: the dashboard and CSV files of one day from the models pgshift.yml's `report:`
// names (found through a compile, which needs no connection), with the Access section of the
// warehouse's grants, optionally copied to S3.

import path from 'node:path';
import { intervalFromFlags, isoDate } from '../batch/interval.js';
import { ConfigError } from '../errors.js';
import type { ReportResult } from '../report/index.js';
import { isIsoDate } from '../report/report-date.js';
import { openWarehouse } from '../warehouse/open-warehouse.js';
import { compileStage } from './compile-stage.js';
import { readAccessMatrix } from './read-access-matrix.js';
import { reportTablesOf } from './report-tables-of.js';
import { openRuntime, type GlobalOptions } from './runtime.js';

export interface DayReportOptions {
  date?: string;
  /** Report on a day that has not ended yet (today). */
  allowOpenInterval?: boolean;
  targetPath: string;
  upload?: boolean;
}

export async function writeDayReport(
  globals: GlobalOptions,
  options: DayReportOptions,
  signal?: AbortSignal,
): Promise<ReportResult & { readonly date: string }> {
  // JavaScript rolls 2026-02-30 over to March; a report for a day that does not exist is a typo.
  if (options.date && !isIsoDate(options.date)) throw new ConfigError(`--date ${options.date}: expected a calendar day as YYYY-MM-DD`);
  const allowOpenInterval = options.allowOpenInterval;
  const date = isoDate(intervalFromFlags({ date: options.date, allowOpenInterval }).start);
  const { compiled, project } = await compileStage(globals, { date, allowOpenInterval });
  const { report } = project;
  if (!report)
    throw new ConfigError(`report: ${project.file} has no report: section naming the models the dashboard reads (report.models.daily_sales, …)`, {
      file: project.file,
    });
  const { schema, tables } = reportTablesOf({ ...project, report }, compiled.manifest);
  const runtime = await openRuntime(globals);
  const target = runtime.target();
  const warehouse = await openWarehouse(target, () => runtime.s3(), 4);
  try {
    const { writeReport } = await import('../report/index.js');
    const staging = runtime.project.staging;
    const result = await writeReport({
      warehouse,
      schema,
      tables,
      date,
      outDir: path.resolve(runtime.project.rootDir, options.targetPath, 'reports', date),
      s3: options.upload ? { client: runtime.s3(), bucket: staging.bucket, prefix: staging.prefix } : undefined,
      signal,
      access: await readAccessMatrix(warehouse, project, compiled.manifest),
    });
    return { ...result, date };
  } finally {
    await warehouse.close();
    await runtime.close();
  }
}
