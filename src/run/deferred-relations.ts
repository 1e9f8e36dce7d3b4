// dbt's --defer: a ref to a node this run does not build, whose relation the target does not
// have, reads the relation of the --state manifest instead (typically production's), so a
// development schema needs only the models being worked on.
// https://docs.getdbt.com/reference/node-selection/defer

import type { Manifest } from '../manifest/manifest.js';
import { relationKey } from '../manifest/schema-naming.js';

export interface StateRelation {
  readonly schema: string;
  readonly identifier: string;
}

/**
 * The relations refs are redirected to: for each model, seed or snapshot that is not scheduled,
 * has no relation in the target (dbt 1.6+ defers only then), and has one in the state manifest.
 * Ephemeral models are inlined, never deferred.
 */
export function deferredRelations(
  manifest: Manifest,
  state: Manifest,
  scheduled: ReadonlySet<string>,
  existing: ReadonlySet<string>,
): Record<string, StateRelation> {
  const deferred: Record<string, StateRelation> = {};
  for (const node of Object.values(manifest.nodes)) {
    if (node.resource_type !== 'model' && node.resource_type !== 'seed' && node.resource_type !== 'snapshot') continue;
    if (scheduled.has(node.unique_id) || node.relation_name === null || existing.has(relationKey(node.schema, node.alias))) continue;
    const previous = state.nodes[node.unique_id] as { schema?: unknown; alias?: unknown; relation_name?: unknown } | undefined;
    if (typeof previous?.schema !== 'string' || typeof previous.alias !== 'string' || previous.relation_name === null) continue;
    deferred[node.unique_id] = { schema: previous.schema, identifier: previous.alias };
  }
  return deferred;
}
