// A model's audit: its audited tests (RunPlan.auditsOf) rendered again with ref() of the model
// pointing at the new version, and run there before anything is published.

import { CancelledError, errorMessage } from '../../errors.js';
import { type ModelNode, renderWithIntrospection, type TestNode } from '../../manifest/index.js';
import { introspectionAnswers } from '../introspection-answers.js';
import { type AuditScope, type AuditVerdict, type AuditedTest, MaterializationError, type RelationName, runDataTest } from '../materializations/index.js';
import type { ExecutionContext } from './execution-context.js';
import { missingTestColumn } from './test-column-check.js';

export function auditedTestsOf(model: ModelNode, context: ExecutionContext): TestNode[] {
  return (context.auditsOf[model.unique_id] ?? []).map((id) => context.manifest.nodes[id]).filter((node): node is TestNode => node?.resource_type === 'test');
}

export async function auditModel(
  model: ModelNode,
  tests: readonly TestNode[],
  context: ExecutionContext,
  relation: RelationName,
  scope: AuditScope,
): Promise<AuditVerdict> {
  const results: AuditedTest[] = [];
  for (const test of tests) results.push(await auditOne(model, test, context, relation));
  return { scope, passed: results.every((result) => result.status === 'pass' || result.status === 'warn'), tests: results };
}

async function auditOne(model: ModelNode, test: TestNode, context: ExecutionContext, relation: RelationName): Promise<AuditedTest> {
  const facts = { ...context.facts, relationOverrides: { ...context.facts.relationOverrides, [model.unique_id]: relation } };
  const rendered = await renderWithIntrospection(context.renderer, test.unique_id, facts, introspectionAnswers(context.warehouse, context.signal));
  try {
    const result = await runDataTest(context.warehouse, { ...test, compiled_code: rendered.compiled_code }, { signal: context.signal });
    return { testId: test.unique_id, status: result.status, failures: result.failures };
  } catch (error) {
    if (error instanceof CancelledError || !(error instanceof MaterializationError)) throw error;
    const explained = await missingTestColumn(context.warehouse, context.manifest, test, { schema: relation.schema, name: relation.identifier });
    return { testId: test.unique_id, status: 'error', failures: 0, message: errorMessage(explained ?? error) };
  }
}
