// Where a node lives in the warehouse, as schema and relation name.

import type { AnyNode } from './manifest.js';

/** Where a tested node lives in the warehouse; undefined for ephemeral models and tests. */
export function relationOf(node: AnyNode): { schema: string; name: string } | undefined {
  if (node.resource_type === 'source') return { schema: node.schema, name: node.identifier };
  if (node.resource_type === 'model') return node.relation_name === null ? undefined : { schema: node.schema, name: node.alias };
  if (node.resource_type === 'seed') return { schema: node.schema, name: node.alias };
  return undefined;
}
