// Explains a generic test whose query failed because schema.yml names a column the tested
// relation does not have: the warehouse's "column does not exist" names neither the schema.yml
// file nor the test. Looked up only after a failure, so passing tests cost nothing extra.

import { ConfigError } from '../../errors.js';
import { type AnyNode, type Manifest, relationOf, type TestNode } from '../../manifest/index.js';
import type { Warehouse } from '../../warehouse/warehouse.js';

/** The error to report instead, when the test's column is missing from its relation. */
/** `readFrom`: where the tested node's columns are read instead (its unpublished new version, in an audit). */
export async function missingTestColumn(
  warehouse: Warehouse,
  manifest: Manifest,
  test: TestNode,
  readFrom?: { readonly schema: string; readonly name: string },
): Promise<ConfigError | undefined> {
  const column = test.column_name;
  // A column_name may be an expression (`lower(email)`); only a plain name can be looked up.
  if (!column || !/^\w+$/.test(column) || !test.attached_node) return undefined;
  const attached: AnyNode | undefined = manifest.nodes[test.attached_node] ?? manifest.sources[test.attached_node];
  const relation = attached && relationOf(attached);
  if (!attached || !relation) return undefined;
  const read = readFrom ?? relation;
  const columns = await warehouse.describeTable(read.schema, read.name).catch(() => undefined);
  if (!columns || columns.some((existing) => existing.name.toLowerCase() === column.toLowerCase())) return undefined;
  const kind = attached.resource_type;
  return new ConfigError(
    `${test.original_file_path}: test ${test.name} checks column '${column}', which ${kind} ${attached.name} does not have (${relation.schema}.${relation.name} has ${columns.map((c) => c.name).join(', ')}); fix the column name in ${test.original_file_path}`,
    { file: test.original_file_path, test: test.unique_id, column, model: attached.unique_id },
  );
}
