// Governance: roles and grants declared in pgshift.yml, reconciled after every run, and the
// detection of personal data that the no_pii test and the PII scanner share.

export {
  buildGrantPolicy,
  grantPolicyForRun,
  type GrantableNode,
  type GrantPolicy,
  type GrantPolicyInput,
  type ManagedRole,
  type ModelGrant,
} from './grant-policy.js';
export { desiredGrants } from './desired-grants.js';
export type { CatalogRelation, CatalogSchema, DesiredGrants, GrantSnapshot, RelationPrivilege, SchemaPrivilege } from './grant-state.js';
export { planGrants, type GrantStatement } from './grants-plan.js';
export { ensureManagedRoles, planReconcile, readGrants, reconcileGrants } from './reconcile-grants.js';
export { HOLDS_TABLE, type GovernanceHold, type HeldRelation, heldKey, liftHold, placeHold, readHolds, revokesFromReaders } from './governance-holds.js';
export { publishGrantStatements, type PublishOptions } from './publish-grants.js';
export { resolveGovernanceSchema, type SchemaNaming } from './schema-names.js';
export { cardCandidate, containsCardNumber, containsEmail, containsPhone, detectPii, luhnValid, PII_KINDS, type PiiKind } from './pii-patterns.js';
export { piiScanSql } from './pii-scan-sql.js';
export { scanForPii, type PiiColumnCounts, type PiiRelation } from './scan-for-pii.js';
export {
  accessMatrix,
  type AccessCell,
  type AccessLeak,
  type AccessMatrix,
  type AccessRelation,
  type AccessRole,
  type ClassifiedColumn,
  type ManifestRelation,
} from './access-matrix.js';
export { manifestRelations } from './manifest-relations.js';
