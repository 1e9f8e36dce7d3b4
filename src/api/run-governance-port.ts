// The project's governance as the runner sees it while nodes run (run/run-governance.ts): the
// managed roles created before the first model, publish-time grants from pgshift.yml and the
// models' `grants:`, and holds placed and lifted by governance tests. Absent when the project
// declares no roles and no model grants: then nothing is granted, held or revoked.

import type { Project } from '../config/project.js';
import { isGovernanceTest, type Manifest, type ModelNode, relationOf, type SeedNode, type TestNode } from '../manifest/index.js';
import { logger } from '../log/logger.js';
import type { RunPlan } from '../run/plan-run.js';
import type { RunGovernance } from '../run/run-governance.js';
import type { Dialect, StatementOptions, Warehouse } from '../warehouse/warehouse.js';

export async function runGovernanceFor(
  project: Project,
  target: { readonly type: Dialect; readonly schema: string },
  manifest: Manifest,
  plan: Pick<RunPlan, 'order'>,
  warehouse: Warehouse,
  options: StatementOptions = {},
): Promise<RunGovernance | undefined> {
  const declaresGrants = Object.values(manifest.nodes).some((node) => node.resource_type === 'model' && Object.keys(node.config.grants).length > 0);
  if (project.governance.roles.length === 0 && !declaresGrants) return undefined;
  const governance = await import('../governance/index.js');
  const holds = await governance.readHolds(warehouse, options);
  const heldBy = new Map<string, Set<string>>();
  for (const hold of holds) heldBy.set(governance.heldKey(hold), (heldBy.get(governance.heldKey(hold)) ?? new Set()).add(hold.testId));
  const policyNow = () =>
    governance.grantPolicyForRun(
      project,
      target,
      manifest,
      [...heldBy.keys()].map((key) => {
        const [schema, relation] = JSON.parse(key) as [string, string];
        return { schema, relation };
      }),
    );
  await governance.ensureManagedRoles(warehouse, policyNow(), options);

  // With write-audit-publish off, a model's governance tests run after it is published: until
  // they pass (and the end-of-run reconcile grants), roles without `pii: true` get nothing on it.
  const scheduled = new Set(plan.order);
  const testedLater = new Set(
    project.governance.auditBeforePublish
      ? []
      : Object.values(manifest.nodes).flatMap((node) =>
          node.resource_type === 'test' && scheduled.has(node.unique_id) && isGovernanceTest(node) && node.attached_node ? [node.attached_node] : [],
        ),
  );
  const relationOfTest = (test: TestNode) => {
    const attached = test.attached_node ? (manifest.nodes[test.attached_node] ?? manifest.sources[test.attached_node]) : undefined;
    const where = attached && relationOf(attached);
    return where ? { schema: where.schema, relation: where.name, model: attached.unique_id } : undefined;
  };

  // Holds are placed and lifted one at a time: two concurrent CREATE TABLE IF NOT EXISTS of the
  // holds table collide on PostgreSQL, and so would two REVOKEs on one relation.
  let queue: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  return {
    async publishGrants(node: ModelNode | SeedNode) {
      const policy = policyNow();
      const relation = { schema: node.schema, relation: node.alias };
      const withholdFromReaders = testedLater.has(node.unique_id);
      return (kind) => governance.publishGrantStatements(policy, relation, kind, { withholdFromReaders }).map((sql) => ({ sql }));
    },
    hold: (test, failures) =>
      oneAtATime(async () => {
        const relation = relationOfTest(test);
        if (!relation) return;
        const key = governance.heldKey(relation);
        heldBy.set(key, (heldBy.get(key) ?? new Set()).add(test.unique_id));
        const policy = policyNow();
        const snapshot = await governance.readGrants(warehouse, policy);
        const hold = { ...relation, testId: test.unique_id, failures, heldAt: new Date().toISOString() };
        const revoked = await governance.placeHold(warehouse, policy, snapshot, hold, options);
        const barred = policy.roles.filter((role) => !role.allowsPii).map((role) => role.declaredAs);
        logger.warn(
          `${relation.schema}.${relation.relation} is held: ${test.name} failed (${failures} row(s)); roles without pii: true (${barred.join(', ') || 'none'}) cannot read it until the test passes${revoked.length > 0 ? ` (revoked: ${revoked.length} grant(s))` : ''}`,
          { model: relation.model, test: test.unique_id },
        );
      }),
    release: (test) =>
      oneAtATime(async () => {
        const relation = relationOfTest(test);
        if (!relation) return;
        const tests = heldBy.get(governance.heldKey(relation));
        if (!tests?.has(test.unique_id)) return;
        await governance.liftHold(warehouse, relation, test.unique_id, options);
        tests.delete(test.unique_id);
        if (tests.size === 0) heldBy.delete(governance.heldKey(relation));
        logger.info(`${relation.schema}.${relation.relation}: ${test.name} passes again; its hold is lifted`, { model: relation.model, test: test.unique_id });
      }),
  };
}
