// `pgshift report`: writes the dashboard and CSV files of one day from the report tables in
// `<target schema>_reports` to <target-path>/reports/<date>/, and with --upload to S3.

import path from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../errors.js';
import { intervalFromFlags, isoDate } from '../extract/interval.js';
import { logger } from '../log/logger.js';
import { isIsoDate } from '../report/report-date.js';
import { openWarehouse } from '../warehouse/open-warehouse.js';
import { cancellationSignal } from './cancellation.js';
import { openRuntime, type GlobalOptions } from './runtime.js';

interface ReportCommandOptions {
  date?: string;
  targetPath: string;
  upload?: boolean;
}

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('write the HTML dashboard and CSV files of the report tables for one day to <target-path>/reports/<date>/')
    .option('--date <YYYY-MM-DD>', 'the UTC day to report on (default: yesterday)')
    .option('--target-path <dir>', 'folder for artifacts, relative to the project', 'target')
    .option('--upload', 'also copy the report to s3://<staging bucket>/<prefix>/reports/<date>/')
    .action(async (options: ReportCommandOptions, cmd: Command) => {
      // JavaScript rolls 2026-02-30 over to March; a report for a day that does not exist is a typo.
      if (options.date && !isIsoDate(options.date)) throw new ConfigError(`--date ${options.date}: expected a calendar day as YYYY-MM-DD`);
      const date = isoDate(intervalFromFlags({ date: options.date }).start);
      const runtime = await openRuntime(cmd.optsWithGlobals<GlobalOptions>());
      const target = runtime.target();
      const warehouse = await openWarehouse(target, () => runtime.s3(), 4);
      try {
        const { writeReport } = await import('../report/index.js');
        const staging = runtime.project.staging;
        const result = await writeReport({
          warehouse,
          schema: `${target.schema}_reports`,
          date,
          outDir: path.resolve(runtime.project.rootDir, options.targetPath, 'reports', date),
          s3: options.upload ? { client: runtime.s3(), bucket: staging.bucket, prefix: staging.prefix } : undefined,
          signal: cancellationSignal(),
        });
        logger.info(`report for ${date} written to ${result.indexFile}`, { csv: result.csvFiles.length, uploaded: result.uploaded.length || undefined });
        for (const uri of result.uploaded) logger.debug(`uploaded ${uri}`);
      } finally {
        await warehouse.close();
        await runtime.close();
      }
    });
}
