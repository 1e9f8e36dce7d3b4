// The unique ids dbt's artefacts use, next to pgshift's own: a source is
// `source.<project>.<source>.<table>` there (`source.<source>.<table>` inside pgshift, which
// selectors and pgshift.yml's table ids follow), and a generic test ends in a 10-hex hash, as dbt
// names them (https://docs.getdbt.com/reference/artifacts/manifest-json). Every other id is the same.

import { createHash } from 'node:crypto';
import type { AnyNode } from './manifest.js';

/** The id of `node` in the artefacts pgshift writes. */
export function dbtUniqueId(node: Pick<AnyNode, 'unique_id' | 'resource_type' | 'package_name'> & { test_metadata?: unknown }): string {
  if (node.resource_type === 'source') return `source.${node.package_name}.${node.unique_id.slice('source.'.length)}`;
  if (node.resource_type === 'test' && node.test_metadata) return `${node.unique_id}.${testHash(node.unique_id)}`;
  return node.unique_id;
}

/** pgshift's id of an id read from an artefact; an id pgshift did not rename comes back as it is. */
export function internalUniqueId(id: string): string {
  if (id.startsWith('source.')) {
    // source.<project>.<rest>: the project is one identifier (dbt project names have no dots).
    const afterProject = id.indexOf('.', 'source.'.length);
    return afterProject < 0 ? id : `source.${id.slice(afterProject + 1)}`;
  }
  const hashed = /^(test\..+)\.([0-9a-f]{10})$/.exec(id);
  // Only a hash of the rest is taken off, so a test whose own name ends in hex keeps it.
  if (hashed && testHash(hashed[1]!) === hashed[2]) return hashed[1]!;
  return id;
}

/** Maps an id through dbtUniqueId when `nodes` has it (depends_on, parent_map and child_map hold ids of either map). */
export function dbtIdMapper(nodes: Iterable<AnyNode>): (id: string) => string {
  const ids = new Map<string, string>();
  for (const node of nodes) ids.set(node.unique_id, dbtUniqueId(node));
  return (id) => ids.get(id) ?? id;
}

// dbt hashes a generic test's name and arguments; pgshift's test names already carry both, so
// the hash of the id keeps it stable across compiles and reversible.
function testHash(internalId: string): string {
  return createHash('md5').update(internalId).digest('hex').slice(0, 10);
}
