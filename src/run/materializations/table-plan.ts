// SQL of the table materialization: build the new table under a temporary name, then swap it in
// with renames in one transaction, so readers see the old table or the new one, never neither.

import { quoteIdent } from '../../sql/quote-ident.js';
import { type BuildTarget, qualified, type RelationTarget } from './build-target.js';
import { contractTableDdl } from './contract-ddl.js';
import { atomic, type PlannedStatement, type PlanStep, single } from './plan-step.js';
import { createIndexStatements, renameIndexStatements } from './postgres-indexes.js';
import { redshiftTableAttributes } from './redshift-table-attributes.js';
import type { RelationKind } from './relation-kind.js';
import { backupName, tmpName } from './relation-names.js';
import { dropRelation } from './view-plan.js';

export interface TableBuild {
  /** Steps that leave the finished table under its temporary name. */
  readonly steps: PlanStep[];
  /** Statements the swap runs once the old table is gone (index and partition renames). */
  readonly afterSwap: PlannedStatement[];
  /** Contract constraints this warehouse leaves out or does not enforce. */
  readonly warnings?: string[];
}

/** Drops helper tables a failed or killed earlier build may have left behind. */
export function planCleanup(target: RelationTarget, names: readonly string[]): PlanStep {
  return atomic(names.map((name) => ({ sql: `drop table if exists ${qualified(target, name)} cascade` })));
}

export function planTableBuild(target: BuildTarget): TableBuild {
  const tmp = tmpName(target.dialect, target.alias);
  const steps: PlanStep[] = [planCleanup(target, [tmp, backupName(target.dialect, target.alias)])];
  const afterSwap: PlannedStatement[] = [];
  let warnings: string[] | undefined;
  if (target.contract) {
    // The contract's types and constraints, then the rows: a row that breaks a constraint the
    // warehouse enforces fails the insert, and the previous table stays.
    const ddl = contractTableDdl(target, target.contract, tmp);
    steps.push(single(ddl.create), single(ddl.insert, { countsRows: true }));
    warnings = ddl.warnings;
    afterSwap.push(...ddl.afterSwap.map((sql) => ({ sql })));
  } else {
    steps.push(single(createTableAs(target, tmp), { countsRows: true }));
  }
  if (target.dialect === 'postgres' && target.config.indexes.length > 0) {
    // Built on the filled table: one sort per index instead of index upkeep on every row.
    steps.push(...createIndexStatements(target.schema, tmp, target.config.indexes, target.model).map((statement) => single(statement.sql)));
    afterSwap.push(...renameIndexStatements(target.schema, tmp, target.alias, target.config.indexes));
  }
  return { steps, afterSwap, ...(warnings ? { warnings } : {}) };
}

export function createTableAs(target: BuildTarget, name: string): string {
  const attributes = target.dialect === 'redshift' ? redshiftTableAttributes(target.config, target.model) : '';
  return `create table ${qualified(target, name)}${attributes} as\n${target.sql}`;
}

/**
 * One transaction that puts the temporary table in the model's place. The old table is renamed
 * aside and dropped with CASCADE: on PostgreSQL (and on Redshift with `bind: true`) views stay bound
 * to the old table through the rename and would otherwise block the drop. Those views are the
 * model's descendants and are rebuilt later in the same run; a run that selects this model but
 * not its views leaves them dropped until they are built again, as with dbt.
 */
export function planSwap(target: RelationTarget, existing: RelationKind | undefined, afterSwap: readonly PlannedStatement[]): PlanStep {
  const relation = qualified(target);
  const tmp = tmpName(target.dialect, target.alias);
  const backup = backupName(target.dialect, target.alias);
  const statements: PlannedStatement[] = [];
  if (existing === 'table') {
    statements.push({ sql: `alter table ${relation} rename to ${quoteIdent(backup)}` });
  } else if (existing !== undefined) {
    statements.push({ sql: `${dropRelation(existing, target.model)} ${relation} cascade` });
  }
  statements.push({ sql: `alter table ${qualified(target, tmp)} rename to ${quoteIdent(target.alias)}` });
  if (existing === 'table') statements.push({ sql: `drop table ${qualified(target, backup)} cascade` });
  statements.push(...afterSwap);
  return atomic(statements);
}
