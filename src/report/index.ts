// The report module's public surface: writeReport and what it takes and returns.

export { writeReport, type ReportResult, type WriteReportOptions } from './write-report.js';
export { ReportError } from './report-error.js';
export { REPORT_TABLES, REPORT_TABLE_LIST, reportTablesNamed, type ReportTable, type ReportTableName, type ReportTables } from './report-tables.js';
export type { ReportUploadTarget } from './upload-report.js';
export type { Kpi, KpiId } from './kpis.js';
export type { AccessSectionInput } from './html/access-section.js';
