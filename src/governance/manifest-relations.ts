// The relations a compiled manifest puts in the warehouse (sources' raw tables, models, seeds)
// with their classified columns. The manifest's `pii` is already "unmasked": a masking macro
// drops the class (compile/inherited-pii.ts), so a column listed here holds PII as it is.

import type { Manifest } from '../manifest/manifest.js';
import type { ClassifiedColumn, ManifestRelation } from './access-matrix.js';

export function manifestRelations(manifest: Pick<Manifest, 'nodes' | 'sources'>): ManifestRelation[] {
  const relations: ManifestRelation[] = [];
  for (const source of Object.values(manifest.sources)) {
    relations.push({
      schema: source.schema,
      name: source.identifier,
      node: source.unique_id,
      resourceType: 'source',
      file: source.original_file_path,
      classifiedColumns: classified(source.columns),
    });
  }
  for (const node of Object.values(manifest.nodes)) {
    // Ephemeral models are CTEs inside other models: no relation to read.
    if (node.resource_type === 'test' || node.resource_type === 'unit_test' || node.relation_name === null) continue;
    relations.push({
      schema: node.schema,
      name: node.alias,
      node: node.unique_id,
      resourceType: node.resource_type,
      file: node.original_file_path,
      classifiedColumns: classified(node.columns),
    });
  }
  return relations;
}

function classified(columns: Manifest['sources'][string]['columns']): ClassifiedColumn[] {
  return Object.values(columns)
    .filter((column) => column.pii !== null)
    .map((column) => ({ name: column.name, pii: column.pii! }));
}
