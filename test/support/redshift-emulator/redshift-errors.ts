// Redshift's wording for failures the backing PostgreSQL reports in its own words, so callers
// meet the text they will meet on the real service.

interface PgError {
  message?: string;
  code?: string;
  table?: string;
}

export function redshiftErrorText(error: unknown, pid: number | undefined, replacesProcedure: boolean): string {
  const { message = String(error), code, table } = (error ?? {}) as PgError;
  if (code === '40001') {
    // Concurrent transactions that no serial order explains: Redshift cancels one with 1023.
    // https://docs.aws.amazon.com/redshift/latest/dg/c_serial_isolation-serializable-isolation-troubleshooting.html
    // https://docs.aws.amazon.com/redshift/latest/dg/c_serial_isolation.html
    return `1023 DETAIL: Serializable isolation violation on table - ${table ?? '?'}, transactions forming the cycle are: ${pid ?? '?'} (pid:${pid ?? '?'}) (${message})`;
  }
  // PostgreSQL says "function" for procedures too.
  const owner = /^must be owner of (?:procedure|function) (.+)$/.exec(message);
  if (code === '42501' && owner && replacesProcedure) {
    // CREATE OR REPLACE PROCEDURE by anyone but the owner or a superuser is refused.
    // https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_PROCEDURE.html
    // https://docs.aws.amazon.com/redshift/latest/dg/stored-procedure-security-and-privileges.html
    return `must be superuser or the owner to replace procedure ${owner[1]}`;
  }
  return message;
}
