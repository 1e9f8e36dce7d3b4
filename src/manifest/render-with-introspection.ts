// Renders a node for execution when its templates may call the warehouse: render, and while
// the render stops for an answer it lacks, fetch that answer and render again. Templates are
// deterministic given the same answers, so each render gets one step further.

import { CompileError } from '../errors.js';
import { type IntrospectionAnswer, type IntrospectionRequest, NeedsIntrospection, requestKey } from './introspection.js';
import type { NodeRenderer, RenderedNode, RunTimeFacts } from './node-renderer.js';
import type { Operation, OperationRenderer, RenderedOperation } from './operation-renderer.js';

/** Past this many warehouse calls one node's render is taken to be running away (a loop of queries). */
export const MAX_INTROSPECTION_CALLS = 100;

export async function renderWithIntrospection(
  renderer: NodeRenderer,
  uniqueId: string,
  facts: RunTimeFacts,
  answer: (request: IntrospectionRequest) => Promise<IntrospectionAnswer>,
  limit = MAX_INTROSPECTION_CALLS,
): Promise<RenderedNode> {
  return untilAnswered((withAnswers) => renderer.render(uniqueId, withAnswers), uniqueId, facts, answer, limit);
}

/** The same for a run hook or a run-operation macro; `label` names it in the runaway error. */
export async function renderOperationWithIntrospection(
  renderer: OperationRenderer,
  operation: Operation,
  label: string,
  facts: RunTimeFacts,
  answer: (request: IntrospectionRequest) => Promise<IntrospectionAnswer>,
  limit = MAX_INTROSPECTION_CALLS,
): Promise<RenderedOperation> {
  return untilAnswered((withAnswers) => renderer.renderOperation(operation, withAnswers), label, facts, answer, limit);
}

async function untilAnswered<T>(
  render: (facts: RunTimeFacts) => T,
  label: string,
  facts: RunTimeFacts,
  answer: (request: IntrospectionRequest) => Promise<IntrospectionAnswer>,
  limit: number,
): Promise<T> {
  const answers = new Map<string, IntrospectionAnswer>();
  for (;;) {
    try {
      return render({ ...facts, introspection: { answers } });
    } catch (error) {
      if (!(error instanceof NeedsIntrospection)) throw error;
      if (answers.size >= limit) {
        throw new CompileError(
          `${label}: rendering made more than ${limit} warehouse calls (run_query, statement, adapter.get_relation, adapter.get_columns_in_relation); query once and loop over the result instead`,
          { node: label },
        );
      }
      answers.set(requestKey(error.request), await answer(error.request));
    }
  }
}
