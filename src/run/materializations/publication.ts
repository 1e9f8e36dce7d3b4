// Write, audit, publish: what a materialization is handed to test its new version before readers
// can see it, and the grants the published relation must carry the instant it becomes visible.
//
// | materialization | written to                          | audited against                | published by                                  |
// |-----------------|-------------------------------------|--------------------------------|-----------------------------------------------|
// | table           | `<alias>__pgshift_tmp` (CTAS)        | that table                     | the swap transaction, grants inside it        |
// | view            | `<alias>__pgshift_audit` (a view)    | that view                      | CREATE OR REPLACE VIEW (+ grants), one commit |
// | incremental     | `<alias>__pgshift_incr` (the rows)   | the increment, before the merge| the merge transaction                         |
//
// A failing audit leaves the published relation exactly as it was: the helper is dropped and
// nothing else has been touched.

import type { PlannedStatement } from './plan-step.js';

export interface RelationName {
  readonly schema: string;
  readonly identifier: string;
}

/** `relation`: the whole new version; `increment`: only the rows an incremental run would merge. */
export type AuditScope = 'relation' | 'increment';

export interface AuditedTest {
  readonly testId: string;
  /** `error`: the test query itself failed, so nothing vouches for the new version. */
  readonly status: 'pass' | 'warn' | 'fail' | 'error';
  readonly failures: number;
  readonly message?: string;
}

export interface AuditVerdict {
  readonly scope: AuditScope;
  /** False when an audited test failed: the new version is not published. */
  readonly passed: boolean;
  readonly tests: readonly AuditedTest[];
}

export interface Publication {
  /** Runs the model's blocking tests against `relation`; absent: publish without auditing. */
  readonly audit?: (relation: RelationName, scope: AuditScope) => Promise<AuditVerdict>;
  /** GRANTs the model's relation must carry once published, run in the publishing transaction. */
  readonly grants: (kind: 'table' | 'view') => readonly PlannedStatement[];
  /** A view's definition when the run started (view-definitions.ts), to put back if a failed audit finds it dropped. */
  readonly previousDefinition?: string;
}

export const PUBLISH_WITHOUT_AUDIT: Publication = { grants: () => [] };

/** What a build did: rows written, and whether readers now see the new version. */
export interface BuildOutcome {
  readonly rows: number;
  readonly published: boolean;
  readonly audit?: AuditVerdict;
  /**
   * When not published, what readers see: the version they saw (`unchanged`), that version put
   * back after an upstream rebuild dropped it (`restored`), or nothing (`absent`: none existed,
   * or it was dropped and could not be put back).
   */
  readonly previous?: 'unchanged' | 'restored' | 'absent';
}
