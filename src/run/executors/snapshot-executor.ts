// A snapshot node: render it again with what is known now, run its hooks and record the
// query's changes in its history table (materializations/snapshot.ts).

import { relationKey, renderWithIntrospection, type SnapshotNode } from '../../manifest/index.js';
import { introspectionAnswers } from '../introspection-answers.js';
import { buildSnapshot } from '../materializations/index.js';
import type { NodeExecutor } from './execution-context.js';

export const executeSnapshot: NodeExecutor<SnapshotNode> = async (snapshot, context) => {
  const { warehouse, signal } = context;
  const facts = { ...context.facts, relationExists: (schema: string, identifier: string) => context.existing.has(relationKey(schema, identifier)) };
  const rendered = await renderWithIntrospection(context.renderer, snapshot.unique_id, facts, introspectionAnswers(warehouse, signal));
  for (const hook of rendered.pre_hook) await warehouse.execute(hook, [], { signal });
  // One time for the whole run, as dbt's snapshot_get_time() is read once per snapshot.
  const now = context.facts.runStartedAt ? new Date(context.facts.runStartedAt) : new Date();
  const result = await buildSnapshot(warehouse, snapshot, rendered.compiled_code, now, { signal });
  for (const hook of rendered.post_hook) await warehouse.execute(hook, [], { signal });
  context.existing.add(relationKey(snapshot.schema, snapshot.alias));
  return { status: 'success', rowsAffected: result.rowsAffected };
};
