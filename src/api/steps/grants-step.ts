// After the nodes: the warehouse's roles and grants brought to what pgshift.yml and the
// models' `grants` declare (only the statements needed). Registered for every run of a
// project; it does nothing when neither declares any.

import type { Project } from '../../config/project.js';
import type { Target } from '../../config/target.js';
import { logger } from '../../log/logger.js';
import type { AfterRunStep } from '../../run/after-run-step.js';

export function grantsStep(project: Project, target: Target): AfterRunStep {
  return {
    uniqueId: 'operation.grants.reconcile',
    label: 'grants',
    appliesTo: ({ command, manifest, results, signal }) => {
      const declaresGrants = Object.values(manifest.nodes).some((node) => node.resource_type === 'model' && Object.keys(node.config.grants).length > 0);
      if (project.governance.roles.length === 0 && !declaresGrants) return false;
      return command !== 'test' && !signal?.aborted && results.length > 0;
    },
    async run({ warehouse, manifest, signal }) {
      const { grantPolicyForRun, readHolds, reconcileGrants } = await import('../../governance/index.js');
      // Held relations (a governance test failing) stay out of reach of roles without `pii: true`.
      const held = await readHolds(warehouse, { signal });
      const statements = await reconcileGrants(warehouse, grantPolicyForRun(project, target, manifest, held), { signal });
      for (const statement of statements) logger.debug(statement);
      logger.info(`grants reconciled: ${statements.length} statement(s)`, { statements: statements.length });
    },
  };
}
