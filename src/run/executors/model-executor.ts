// A model node: render it again with what is known now (which relations exist, so
// is_incremental() is true), run its hooks and materialize it. With write-audit-publish on, the
// model's audited tests run against the new version first; a failing one leaves readers with the
// previous version, reports the model as built, not published, and settles the tests' outcomes.

import { isGovernanceTest, type ModelNode, relationKey, renderWithIntrospection, type TestNode } from '../../manifest/index.js';
import { introspectionAnswers } from '../introspection-answers.js';
import { type AuditVerdict, materialize, type Publication } from '../materializations/index.js';
import type { NodeOutcome, SettledNode } from '../node-status.js';
import type { ExecutionContext, NodeExecutor } from './execution-context.js';
import { auditedTestsOf, auditModel } from './model-audit.js';
import { testOutcome } from './test-outcome.js';
import {
  carriesOverFromIncrement,
  forgetWholeTableChecks,
  readWholeTableChecks,
  recordWholeTableChecks,
  retainWholeTableChecks,
  testChecksum,
} from '../whole-table-checks.js';

export const executeModel: NodeExecutor<ModelNode> = async (model, context) => {
  const { warehouse, signal } = context;
  const facts = { ...context.facts, relationExists: (schema: string, identifier: string) => context.existing.has(relationKey(schema, identifier)) };
  const rendered = await renderWithIntrospection(context.renderer, model.unique_id, facts, introspectionAnswers(warehouse, signal));
  const tests = auditedTestsOf(model, context);
  const publication: Publication = {
    audit:
      context.project.governance.auditBeforePublish && tests.length > 0 ? (relation, scope) => auditModel(model, tests, context, relation, scope) : undefined,
    grants: (await context.governance?.publishGrants(model)) ?? (() => []),
    previousDefinition: context.viewsBefore.get(relationKey(model.schema, model.alias)),
  };
  for (const hook of rendered.pre_hook) await warehouse.execute(hook, [], { signal });
  const result = await materialize(warehouse, model, rendered.compiled_code, { fullRefresh: context.fullRefresh, publication, signal });
  if (result.audit) await recordGovernance(result.audit, tests, context);
  if (!result.published) return notPublished(result.audit!, tests, result.previous ?? 'unchanged');
  for (const hook of rendered.post_hook) await warehouse.execute(hook, [], { signal });
  context.existing.add(relationKey(model.schema, model.alias));
  // An increment's results say nothing of the merged table, except for the tests that carry
  // over (whole-table-checks.ts): the others still run after the merge.
  const settles = result.audit?.scope === 'relation' ? settled(result.audit) : [];
  if (model.config.materialized === 'incremental') settles.push(...(await keepWholeTableChecks(model, tests, result.audit, context)));
  return { status: 'success', rowsAffected: result.rowsAffected, settles };
};

/**
 * After a published build of an incremental model: a whole new table that passed its audit is
 * recorded as checked; an increment that passed settles the tests that carry over and were
 * recorded (as compiled now); a change without an audit forgets the table's records.
 */
async function keepWholeTableChecks(
  model: ModelNode,
  tests: readonly TestNode[],
  audit: AuditVerdict | undefined,
  context: ExecutionContext,
): Promise<SettledNode[]> {
  const table = { schema: model.schema, relation: model.alias };
  const options = { signal: context.signal };
  if (!audit) {
    await forgetWholeTableChecks(context.warehouse, table, undefined, options);
    return [];
  }
  const passed = new Set(audit.tests.filter((test) => test.status === 'pass').map((test) => test.testId));
  const carried = tests.filter((test) => passed.has(test.unique_id) && carriesOverFromIncrement(test, model));
  if (audit.scope === 'relation') {
    await recordWholeTableChecks(context.warehouse, table, carried, { ...options, replace: true });
    return [];
  }
  const recorded = await readWholeTableChecks(context.warehouse, table, options);
  const holding = carried.filter((test) => recorded.get(test.unique_id) === testChecksum(test));
  await retainWholeTableChecks(
    context.warehouse,
    table,
    recorded,
    holding.map((test) => test.unique_id),
    options,
  );
  // A governance test that holds on the whole table lifts its hold, as a whole-table run would.
  for (const test of holding) if (context.governance && isGovernanceTest(test)) await context.governance.release(test);
  return holding.map((test) => ({ uniqueId: test.unique_id, outcome: { status: 'pass', failures: 0, message: CARRIED_OVER } }));
}

export const CARRIED_OVER = 'passed on the increment; the rest of the table had passed it';

const READERS_SEE = {
  unchanged: 'readers still see the previous version',
  restored: 'its previous definition, dropped when a table it reads was rebuilt, is back in place',
  absent: 'readers see no version of it until it passes',
} as const;

function notPublished(audit: AuditVerdict, tests: readonly TestNode[], previous: keyof typeof READERS_SEE): NodeOutcome {
  const names = new Map(tests.map((test) => [test.unique_id, test.name]));
  const failing = audit.tests
    .filter((test) => test.status === 'fail' || test.status === 'error')
    .map((test) => `${names.get(test.testId) ?? test.testId} ${test.status === 'fail' ? `(${test.failures} failing row(s))` : 'errored'}`);
  const what = audit.scope === 'increment' ? 'increment built, not merged' : 'built, not published';
  return { status: 'error', message: `${what}: ${failing.join(', ')}; ${READERS_SEE[previous]}`, settles: settled(audit) };
}

function settled(audit: AuditVerdict): SettledNode[] {
  const where = audit.scope === 'increment' ? 'in the increment' : 'in the new version, not published';
  return audit.tests.map((test) => ({ uniqueId: test.testId, outcome: testOutcome(test, test.status === 'fail' && !audit.passed ? where : undefined) }));
}

/** A failing governance test holds the model's relation; one passing on the whole new version lifts it. */
async function recordGovernance(audit: AuditVerdict, tests: readonly TestNode[], context: ExecutionContext): Promise<void> {
  if (!context.governance) return;
  const byId = new Map(tests.map((test) => [test.unique_id, test]));
  for (const result of audit.tests) {
    const test = byId.get(result.testId);
    if (!test || !isGovernanceTest(test)) continue;
    if (result.status === 'fail' || result.status === 'error') await context.governance.hold(test, result.failures);
    else if (result.status === 'pass' && audit.scope === 'relation' && audit.passed) await context.governance.release(test);
  }
}
