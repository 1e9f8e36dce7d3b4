// Column documentation from schema.yml as it appears on manifest nodes.

import type { ColumnInfo } from '../manifest/manifest.js';
import type { ColumnPatch } from './schema-yml.js';

export function columnInfos(patches: readonly ColumnPatch[]): Record<string, ColumnInfo> {
  const columns: Record<string, ColumnInfo> = {};
  for (const patch of patches) {
    columns[patch.name] = {
      name: patch.name,
      description: patch.description,
      meta: patch.meta,
      data_type: patch.dataType,
      tags: patch.tags,
      quote: patch.quote,
      pii: patch.pii,
      constraints: patch.constraints,
    };
  }
  return columns;
}
