// A model node: render it again with what is known now (which relations exist, so
// is_incremental() is true), run its hooks and materialize it.

import { relationKey, type ModelNode } from '../../manifest/index.js';
import { materialize } from '../materializations/index.js';
import type { NodeExecutor } from './execution-context.js';

export const executeModel: NodeExecutor<ModelNode> = async (model, context) => {
  const { warehouse, signal } = context;
  const rendered = context.renderer.render(model.unique_id, {
    ...context.facts,
    relationExists: (schema, identifier) => context.existing.has(relationKey(schema, identifier)),
  });
  for (const hook of rendered.pre_hook) await warehouse.execute(hook, [], { signal });
  const result = await materialize(warehouse, model, rendered.compiled_code, { fullRefresh: context.fullRefresh, signal });
  for (const hook of rendered.post_hook) await warehouse.execute(hook, [], { signal });
  context.existing.add(relationKey(model.schema, model.alias));
  return { status: 'success', rowsAffected: result.rowsAffected };
};
