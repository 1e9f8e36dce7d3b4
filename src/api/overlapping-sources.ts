// Before a run extracts anything: no planned source table may be a partition or inheritance
// child of another configured table (src/extract/inheritance-overlap.ts).

import type { Project, SourceTable } from '../config/project.js';
import { refuseParentWithChild } from '../extract/inheritance-overlap.js';
import type { Manifest } from '../manifest/index.js';
import type pg from 'pg';

export async function refuseOverlappingSources(
  project: Project,
  manifest: Manifest,
  planned: readonly string[],
  runtime: { sourcePool(table: SourceTable): pg.Pool },
): Promise<void> {
  const ids = new Set(planned.flatMap((id) => (id in manifest.sources ? [manifest.sources[id]!.table_id] : [])));
  if (ids.size === 0) return;
  const selected = project.tables.filter((table) => ids.has(table.id));
  await refuseParentWithChild(selected, project.tables, (table) => runtime.sourcePool(table));
}
