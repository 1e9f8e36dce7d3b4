// The raw column a load sets on the tombstone it records for a deleted row (tables with
// `deletes: detect`). It is never in a batch's files; models read it through source_deleted_at().
export const DELETED_AT_COLUMN = '_pgshift_deleted_at';
