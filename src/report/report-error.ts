// The error `pgshift report` raises when the report tables are missing, incomplete or empty
// for the requested day; the message always says which table and what to run.

import { PgshiftError, type ErrorContext } from '../errors.js';

export class ReportError extends PgshiftError {
  override name = 'ReportError';
  constructor(message: string, context: ErrorContext = {}, options?: { cause?: unknown }) {
    super('REPORT_FAILED', message, context, options);
  }
}

/** The one remedy for missing report data: build the models for that day. */
export function runFirstHint(date: string): string {
  return `run \`pgshift run --date ${date}\` first`;
}
