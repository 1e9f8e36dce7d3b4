// The errors the Data API itself returns (not a failed SQL statement, which is a FAILED status).
// The SDK picks the exception class from `__type`, so these names must match its shapes.

export type ApiErrorType =
  | 'ValidationException'
  | 'ResourceNotFoundException'
  | 'ActiveStatementsExceededException'
  | 'ExecuteStatementException'
  | 'BatchExecuteStatementException'
  | 'InternalServerException'
  | 'UnknownOperationException'
  | 'SerializationException'
  | 'ThrottlingException';

// Client faults are 400; the SDK models ExecuteStatement, BatchExecuteStatement and
// InternalServer exceptions as server faults, which AWS answers with 500.
const SERVER_FAULTS = new Set<ApiErrorType>(['ExecuteStatementException', 'BatchExecuteStatementException', 'InternalServerException']);

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly type: ApiErrorType,
    message: string,
    /** Extra members of the exception shape, e.g. ResourceId or StatementId. */
    readonly members: Record<string, string> = {},
  ) {
    super(message);
  }

  get httpStatus(): number {
    return SERVER_FAULTS.has(this.type) ? 500 : 400;
  }

  body(): Record<string, string> {
    // `message` is what the SDK reads for error.message; `Message` fills the modelled member.
    return { __type: this.type, message: this.message, Message: this.message, ...this.members };
  }
}

export function validation(message: string): ApiError {
  return new ApiError('ValidationException', message);
}
