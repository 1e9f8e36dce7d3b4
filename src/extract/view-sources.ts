// Views and materialized views as sources. They extract like tables, but a cursor on a view is
// only as good as the view's definition (a cursor computed by the view, or a join that changes
// rows without changing their cursor, makes an interval miss rows), and a materialized view
// holds only what its last REFRESH put there. The warning says so once per table and extract.

import { quoteIdent, quoteQualified } from '../sql/quote-ident.js';
import type { SourceTableShape } from './source-introspection.js';

export function viewCursorWarning(tableId: string, shape: SourceTableShape, cursor: string): string | undefined {
  const relation = quoteQualified(shape.schema, shape.name);
  if (shape.relkind === 'v') {
    return `${tableId}: ${relation} is a view; its cursor '${cursor}' is only as good as the view's definition (rows whose cursor does not move when they change are missed), so prefer mode: full or a cursor taken straight from one underlying table`;
  }
  if (shape.relkind === 'm') {
    return `${tableId}: ${relation} is a materialized view; its cursor '${cursor}' is only as good as the view's definition and its last REFRESH, so refresh it before the extract or prefer mode: full`;
  }
  return undefined;
}

/** The index that would let the cursor window use an index scan, as SQL one can run. */
export function createIndexSql(shape: Pick<SourceTableShape, 'schema' | 'name'>, column: string): string {
  return `create index on ${quoteQualified(shape.schema, shape.name)} (${quoteIdent(column)})`;
}
