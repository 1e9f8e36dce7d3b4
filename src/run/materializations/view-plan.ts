// SQL of the view materialization. PostgreSQL: CREATE OR REPLACE VIEW, or drop-and-create in one
// transaction when the columns changed. Redshift: late-binding views unless `bind: true`.

import { ConfigError } from '../../errors.js';
import { type BuildTarget, qualified } from './build-target.js';
import { atomic, type PlannedStatement, type PlanStep, single } from './plan-step.js';
import type { RelationKind } from './relation-kind.js';
import { auditViewName } from './relation-names.js';

export interface ViewPlan {
  readonly steps: PlanStep[];
  /**
   * Run instead when `steps` fail on an existing view: CREATE OR REPLACE cannot drop, rename or
   * retype a view's columns (on either warehouse), so the view is dropped and created again in
   * one transaction. Empty when there is no view to replace.
   */
  readonly fallback: PlanStep[];
}

/**
 * `grants` run in the same transaction as the statement that makes the new definition visible:
 * a view dropped and created again has none of its old grants, and must not be seen without them.
 */
export function planView(target: BuildTarget, existing: RelationKind | undefined, grants: readonly PlannedStatement[] = []): ViewPlan {
  const relation = qualified(target);
  const body = viewBody(target);
  const withGrants = (statements: PlannedStatement[]): PlanStep =>
    grants.length === 0 && statements.length === 1 ? single(statements[0]!.sql) : atomic([...statements, ...grants]);
  if (existing === undefined || existing === 'view') {
    return {
      steps: [withGrants([{ sql: `create or replace view ${relation} as\n${body}` }])],
      // CASCADE: views selecting from this one are bound to it on PostgreSQL (and on Redshift with
      // `bind: true`); they are descendants in the graph and are built again later in the run.
      fallback: existing === 'view' ? [withGrants([{ sql: `drop view ${relation} cascade` }, { sql: `create view ${relation} as\n${body}` }])] : [],
    };
  }
  // The model used to be materialized otherwise: the view takes its place atomically.
  return {
    steps: [withGrants([{ sql: `${dropRelation(existing, target.model)} ${relation} cascade` }, { sql: `create view ${relation} as\n${body}` }])],
    fallback: [],
  };
}

/** The new definition under the audit name, replacing one a killed run may have left. */
export function planAuditView(target: BuildTarget): PlanStep[] {
  const audit = qualified(target, auditViewName(target.dialect, target.alias));
  return [planDropAuditView(target), single(`create view ${audit} as\n${viewBody(target)}`)];
}

/** DROP VIEW IF EXISTS, on both warehouses (https://docs.aws.amazon.com/redshift/latest/dg/r_DROP_VIEW.html). */
export function planDropAuditView(target: BuildTarget): PlanStep {
  return single(`drop view if exists ${qualified(target, auditViewName(target.dialect, target.alias))}`);
}

/** `drop table` / `drop view` / `drop materialized view` for what sits at the model's name. */
export function dropRelation(kind: RelationKind, model: string): string {
  switch (kind) {
    case 'table':
      return 'drop table';
    case 'view':
      return 'drop view';
    case 'materialized_view':
      return 'drop materialized view';
    default:
      // Foreign tables are someone else's data; pgshift will not drop one to make room.
      throw new ConfigError(`${model}: a foreign table already has this model's name; rename the model (alias) or drop the foreign table yourself`, { model });
  }
}

function viewBody(target: BuildTarget): string {
  // Redshift binds a view to the tables it reads unless told otherwise, and then refuses to drop
  // or swap those tables; late binding (WITH NO SCHEMA BINDING) lets every table model be rebuilt
  // without touching the views on top. pgshift makes it the default on Redshift (dbt-redshift
  // needs `bind: false` for it); `bind: true` asks for a bound view. PostgreSQL has no such clause.
  const lateBinding = target.dialect === 'redshift' && target.config.bind !== true;
  return lateBinding ? `${target.sql}\nwith no schema binding` : target.sql;
}
