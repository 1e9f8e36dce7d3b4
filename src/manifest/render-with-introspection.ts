// Renders a node for execution when its templates may call the warehouse: render, and while
// the render stops for an answer it lacks, fetch that answer and render again. Templates are
// deterministic given the same answers, so each render gets one step further.

import { CompileError } from '../errors.js';
import { type IntrospectionAnswer, type IntrospectionRequest, NeedsIntrospection, requestKey } from './introspection.js';
import type { NodeRenderer, RenderedNode, RunTimeFacts } from './node-renderer.js';

/** Past this many warehouse calls one node's render is taken to be running away (a loop of queries). */
export const MAX_INTROSPECTION_CALLS = 100;

export async function renderWithIntrospection(
  renderer: NodeRenderer,
  uniqueId: string,
  facts: RunTimeFacts,
  answer: (request: IntrospectionRequest) => Promise<IntrospectionAnswer>,
  limit = MAX_INTROSPECTION_CALLS,
): Promise<RenderedNode> {
  const answers = new Map<string, IntrospectionAnswer>();
  for (;;) {
    try {
      return renderer.render(uniqueId, { ...facts, introspection: { answers } });
    } catch (error) {
      if (!(error instanceof NeedsIntrospection)) throw error;
      if (answers.size >= limit) {
        throw new CompileError(
          `${uniqueId}: rendering made more than ${limit} warehouse calls (run_query, statement, adapter.get_relation, adapter.get_columns_in_relation); query once and loop over the result instead`,
          { node: uniqueId },
        );
      }
      answers.set(requestKey(error.request), await answer(error.request));
    }
  }
}
