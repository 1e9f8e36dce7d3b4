// Failures of building a model, seed or data test in the warehouse, with the node they concern.

import { type ErrorContext, PgshiftError } from '../../errors.js';

/** A statement of a build failed; the model's relation was left as it was before. */
export class MaterializationError extends PgshiftError {
  override name = 'MaterializationError';
  constructor(message: string, context: ErrorContext & { model: string }, options?: { cause?: unknown }) {
    super('MATERIALIZE_FAILED', message, context, options);
  }
}

/** An incremental model with on_schema_change: fail no longer has the columns of its table. */
export class SchemaChangeError extends PgshiftError {
  override name = 'SchemaChangeError';
  constructor(message: string, context: ErrorContext & { model: string }) {
    super('SCHEMA_CHANGED', message, context);
  }
}

/** A model's query does not return the columns its enforced contract declares; nothing was written. */
export class ContractError extends PgshiftError {
  override name = 'ContractError';
  constructor(message: string, context: ErrorContext & { model: string }) {
    super('CONTRACT_FAILED', message, context);
  }
}
