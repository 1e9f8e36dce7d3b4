// The last step of `pgshift run` in a project with `report:` in pgshift.yml: the day's
// dashboard from the models it names, when this run built them all and every node succeeded
// (a report on half-built tables would mislead).

import path from 'node:path';
import type { Project, ReportSettings } from '../../config/project.js';
import { logger } from '../../log/logger.js';
import type { AfterRunStep } from '../../run/after-run-step.js';
import { readAccessMatrix } from '../read-access-matrix.js';
import { reportTablesOf } from '../report-tables-of.js';

export function reportStep(project: Project & { report: ReportSettings }): AfterRunStep {
  return {
    uniqueId: 'operation.report.write',
    label: 'report',
    appliesTo: ({ command, manifest, results, signal }) => {
      if (
        command !== 'run' ||
        signal?.aborted ||
        results.some((result) => result.status === 'error' || result.status === 'fail' || result.status === 'skipped')
      )
        return false;
      // Only when this run built every report model: a run that selected just sources, say,
      // leaves yesterday's report tables and their report alone.
      const built = new Set(results.map((result) => result.uniqueId));
      try {
        return reportTablesOf(project, manifest).modelIds.every((id) => built.has(id));
      } catch {
        return true; // a report: that names no model is reported by run(), as the step's error
      }
    },
    async run({ manifest, warehouse, interval, targetDir, signal }) {
      const { schema, tables } = reportTablesOf(project, manifest);
      const date = new Date(interval.end.getTime() - 86_400_000).toISOString().slice(0, 10);
      const { writeReport } = await import('../../report/index.js');
      // Read after the grants step, so the Access section shows the grants this run left.
      const access = await readAccessMatrix(warehouse, project, manifest);
      const report = await writeReport({ warehouse, schema, tables, date, outDir: path.join(targetDir, 'reports', date), signal, access });
      logger.info(`report written: ${report.indexFile}`, { csv_files: report.csvFiles.length });
    },
  };
}
