// Reads why a COPY failed from SYS_LOAD_ERROR_DETAIL, so a load error names the table, column,
// file line and reason instead of Redshift's bare "Check 'sys_load_error_detail' for details".
//
// The view shows a regular user its own loads only, which are the ones asked about; its
// columns (file_name, line_number, column_name, column_type, error_message, start_time):
// https://docs.aws.amazon.com/redshift/latest/dg/SYS_LOAD_ERROR_DETAIL.html
// The raw line and field value are left out on purpose: they hold the row's data (PII included),
// and an error message ends up in logs and run_results.json.

export interface LoadErrorRow {
  readonly file_name: string | null;
  readonly line_number: string | number | null;
  readonly column_name: string | null;
  readonly column_type: string | null;
  readonly error_message: string | null;
}

/** The newest error rows for files under one batch's S3 prefix ($1). POSITION needs no LIKE escaping. */
export const LOAD_ERROR_SQL = `select trim(file_name) as file_name, line_number, trim(column_name) as column_name, trim(column_type) as column_type, trim(error_message) as error_message
  from sys_load_error_detail
 where position($1 in file_name) = 1
 order by start_time desc
 limit 5`;

/** Extra error lines, one per reported row; '' when there is none. */
export function describeLoadErrors(table: string, rows: readonly LoadErrorRow[]): string {
  return rows
    .map((row) => {
      const file = row.file_name ? row.file_name.replace(/^.*\//, '') : 'an unknown file';
      const column = row.column_name ? `column ${row.column_name}${row.column_type ? ` (${row.column_type})` : ''}` : 'an unknown column';
      return `\n  sys_load_error_detail: ${table}, ${column}, ${file} line ${row.line_number ?? '?'}: ${row.error_message ?? 'no reason given'}`;
    })
    .join('');
}
