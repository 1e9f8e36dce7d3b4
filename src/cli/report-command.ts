// `pgshift report`: writes the dashboard and CSV files of one day from the report tables in
// `<target schema>_reports` to <target-path>/reports/<date>/, and with --upload to S3.

import type { Command } from 'commander';
import { ALLOW_OPEN_INTERVAL_FLAG } from '../batch/interval.js';
import type { GlobalOptions } from '../api/runtime.js';
import type { DayReportOptions } from '../api/write-day-report.js';
import { logger } from '../log/logger.js';
import { cancellationSignal } from './cancellation.js';

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('write the HTML dashboard and CSV files of the report tables for one day to <target-path>/reports/<date>/')
    .option('--date <YYYY-MM-DD>', 'the UTC day to report on (default: yesterday)')
    .option(ALLOW_OPEN_INTERVAL_FLAG, 'accept a day that has not ended yet (today)')
    .option('--target-path <dir>', 'folder for artifacts, relative to the project', 'target')
    .option('--upload', 'also copy the report to s3://<staging bucket>/<prefix>/reports/<date>/')
    .action(async (options: DayReportOptions, cmd: Command) => {
      const { writeDayReport } = await import('../api/write-day-report.js');
      const result = await writeDayReport(cmd.optsWithGlobals<GlobalOptions>(), options, cancellationSignal());
      logger.info(`report for ${result.date} written to ${result.indexFile}`, { csv: result.csvFiles.length, uploaded: result.uploaded.length || undefined });
      for (const uri of result.uploaded) logger.debug(`uploaded ${uri}`);
    });
}
