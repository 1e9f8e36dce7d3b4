// What the runner asks of governance while nodes run, without knowing roles or catalogs: the
// grants a model's relation carries the instant it is published, and the holds a failing
// governance test puts on a relation (no role without `pii: true` may read it) and a passing one
// lifts. The project's implementation lives in api/ (api/run-governance-port.ts).

import type { ModelNode, SeedNode, TestNode } from '../manifest/index.js';
import type { PlannedStatement } from './materializations/plan-step.js';

export interface RunGovernance {
  /** The statements granting a model's or seed's declared privileges on its relation, for the publishing transaction. */
  publishGrants(node: ModelNode | SeedNode): Promise<(kind: 'table' | 'view') => readonly PlannedStatement[]>;
  /** A governance test failed: hold its relation, revoking what roles without `pii: true` hold on it, now. */
  hold(test: TestNode, failures: number): Promise<void>;
  /** A governance test passed on what readers see: lift its hold, if any. */
  release(test: TestNode): Promise<void>;
}
