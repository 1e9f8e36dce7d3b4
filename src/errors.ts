// Every failure pgshift reports is a PgshiftError: a stable `code` for scripts and a context
// object naming the table, model, file, S3 key or statement it concerns.

export type ErrorContext = Record<string, string | number | boolean | undefined>;

export class PgshiftError extends Error {
  override name = 'PgshiftError';
  readonly code: string;
  readonly context: ErrorContext;

  constructor(code: string, message: string, context: ErrorContext = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.context = context;
  }
}

/** pgshift.yml, the environment or a command-line flag is wrong; nothing was touched. */
export class ConfigError extends PgshiftError {
  override name = 'ConfigError';
  constructor(message: string, context: ErrorContext = {}, options?: { cause?: unknown }) {
    super('CONFIG_INVALID', message, context, options);
  }
}

/** Extracting one table failed; `phase` says where (introspect, copy, upload, manifest). */
export class ExtractError extends PgshiftError {
  override name = 'ExtractError';
  constructor(message: string, context: ErrorContext & { table: string; phase: string }, options?: { cause?: unknown }) {
    super('EXTRACT_FAILED', message, context, options);
  }
}

/** Loading one batch into the warehouse failed and was rolled back. */
export class LoadError extends PgshiftError {
  override name = 'LoadError';
  constructor(message: string, context: ErrorContext & { table: string }, options?: { cause?: unknown }) {
    super('LOAD_FAILED', message, context, options);
  }
}

/**
 * A server could not be reached, refused the login or dropped the connection. The message names
 * the connection (source `shop`, warehouse target `dev`) and the environment variable holding it.
 */
export class ConnectionError extends PgshiftError {
  override name = 'ConnectionError';
  constructor(message: string, context: ErrorContext & { connection: string }, options?: { cause?: unknown }) {
    super('CONNECTION_FAILED', message, context, options);
  }
}

/** A statement sent to the warehouse failed. */
export class WarehouseError extends PgshiftError {
  override name = 'WarehouseError';
  constructor(message: string, context: ErrorContext = {}, options?: { cause?: unknown }) {
    super('WAREHOUSE_FAILED', message, context, options);
  }
}

/**
 * A model, macro, schema.yml, seed or selector cannot be compiled. The message starts with
 * `file:line` when the problem sits at a known place in a file.
 */
export class CompileError extends PgshiftError {
  override name = 'CompileError';
  constructor(message: string, context: ErrorContext = {}, options?: { cause?: unknown }) {
    super('COMPILE_FAILED', message, context, options);
  }
}

/** The run was cancelled (Ctrl-C, SIGTERM or an abort signal). */
export class CancelledError extends PgshiftError {
  override name = 'CancelledError';
  constructor(message = 'cancelled', context: ErrorContext = {}) {
    super('CANCELLED', message, context);
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
