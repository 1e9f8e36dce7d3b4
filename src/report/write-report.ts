// `pgshift report`: reads the report tables for one day and writes the dashboard (index.html)
// and one CSV per table to a folder, then optionally copies the folder to S3.

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { logger } from '../log/logger.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { checkReportTables } from './check-report-tables.js';
import { readReportData } from './data/read-report-data.js';
import { exportTableCsv } from './export-csv.js';
import type { AccessSectionInput } from './html/access-section.js';
import { renderPage, type CsvFile } from './html/render-page.js';
import { computeKpis, type Kpi } from './kpis.js';
import { isIsoDate } from './report-date.js';
import { REPORT_TABLES, type ReportTables } from './report-tables.js';
import { revenueTrend } from './revenue-trend.js';
import { uploadReport, type ReportUploadTarget } from './upload-report.js';

export interface WriteReportOptions {
  readonly warehouse: Warehouse;
  /** The schema holding the report tables, e.g. `analytics_reports`. */
  readonly schema: string;
  /** Which relation feeds each panel (the project's `report.models`); by default the panels' own names. */
  readonly tables?: ReportTables;
  /** The report day, YYYY-MM-DD (UTC). */
  readonly date: string;
  /** The folder to write, usually `target/reports/<date>/`; created when missing. */
  readonly outDir: string;
  readonly s3?: ReportUploadTarget;
  /** Shown on the page; fixed in tests so that two runs give identical files. */
  readonly generatedAt?: Date;
  /** Rows per query when exporting a table to CSV. */
  readonly csvPageRows?: number;
  readonly signal?: AbortSignal;
  /** Who can read what (governance's access matrix), shown in the Access section; absent: no section. */
  readonly access?: AccessSectionInput | null;
}

export interface ReportResult {
  readonly outDir: string;
  readonly indexFile: string;
  readonly csvFiles: readonly (CsvFile & { readonly path: string })[];
  /** s3:// URIs, empty without `s3`. */
  readonly uploaded: readonly string[];
  readonly kpis: readonly Kpi[];
}

const DEFAULT_PAGE_ROWS = 50_000;

export async function writeReport(options: WriteReportOptions): Promise<ReportResult> {
  const { warehouse, schema, date, signal } = options;
  validate(options);
  const statementOptions = { signal };
  const tables = options.tables ?? REPORT_TABLES;
  const tableList = Object.values(tables);
  await checkReportTables(warehouse, schema, date, tableList);
  const data = await readReportData(warehouse, schema, date, statementOptions, tables);
  const outDir = path.resolve(options.outDir);
  await mkdir(outDir, { recursive: true });
  const csvFiles = await Promise.all(
    tableList.map(async (table) => {
      const file = `${table.name}.csv`;
      const filePath = path.join(outDir, file);
      const rows = await exportTableCsv(warehouse, {
        schema,
        table,
        date,
        file: filePath,
        pageRows: options.csvPageRows ?? DEFAULT_PAGE_ROWS,
        options: statementOptions,
      });
      logger.debug(`report: wrote ${file}`, { rows });
      return { file, table: table.name, rows, path: filePath };
    }),
  );
  const kpis = computeKpis(data);
  const indexFile = path.join(outDir, 'index.html');
  await writeFile(
    indexFile,
    renderPage({ data, kpis, trend: revenueTrend(data.sales, date), csvFiles, generatedAt: options.generatedAt ?? new Date(), access: options.access }),
    'utf8',
  );
  const uploaded = options.s3 ? await uploadReport(options.s3, date, [indexFile, ...csvFiles.map((file) => file.path)], signal) : [];
  return { outDir, indexFile, csvFiles, uploaded, kpis };
}

function validate(options: WriteReportOptions): void {
  if (!isIsoDate(options.date))
    throw new ConfigError(`report date ${JSON.stringify(options.date)}: expected a calendar day as YYYY-MM-DD`, { date: options.date });
  if (!options.schema) throw new ConfigError('report: the reports schema is empty; expected e.g. analytics_reports');
  if (!options.outDir) throw new ConfigError('report: the output folder is empty; expected e.g. target/reports/<date>');
  const pageRows = options.csvPageRows;
  if (pageRows !== undefined && (!Number.isSafeInteger(pageRows) || pageRows < 1)) {
    throw new ConfigError(`report: csvPageRows ${pageRows}: expected a whole number of at least 1`);
  }
}
