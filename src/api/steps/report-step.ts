// The last step of `pgshift run`: the day's dashboard from the report tables, when the project
// has them and every node succeeded (a report on half-built tables would mislead).

import path from 'node:path';
import type { ModelNode } from '../../manifest/index.js';
import { logger } from '../../log/logger.js';
import { REPORT_TABLE_LIST } from '../../report/report-tables.js';
import type { AfterRunStep } from '../../run/after-run-step.js';

export function reportStep(): AfterRunStep {
  const reportModelsOf = (models: readonly ModelNode[]) => REPORT_TABLE_LIST.map((table) => models.find((model) => model.alias === table.name));
  return {
    uniqueId: 'operation.report.write',
    label: 'report',
    appliesTo: ({ command, manifest, results, signal }) => {
      if (command !== 'run' || signal?.aborted || results.some((result) => result.status === 'error' || result.status === 'fail' || result.status === 'skipped')) return false;
      // Only when this run built every report table (the project models them all): a run that
      // selected just sources, say, leaves yesterday's report tables and their report alone.
      const built = new Set(results.map((result) => result.uniqueId));
      const models = Object.values(manifest.nodes).filter((node): node is ModelNode => node.resource_type === 'model');
      return reportModelsOf(models).every((model) => model !== undefined && built.has(model.unique_id));
    },
    async run({ manifest, warehouse, interval, targetDir, signal }) {
      const models = Object.values(manifest.nodes).filter((node): node is ModelNode => node.resource_type === 'model');
      const schema = reportModelsOf(models)[0]!.schema;
      const date = new Date(interval.end.getTime() - 86_400_000).toISOString().slice(0, 10);
      const { writeReport } = await import('../../report/index.js');
      const report = await writeReport({ warehouse, schema, date, outDir: path.join(targetDir, 'reports', date), signal });
      logger.info(`report written: ${report.indexFile}`, { csv_files: report.csvFiles.length });
    },
  };
}
