// SQL of an incremental run into an existing table: the model's new rows are staged, the table's
// columns reconciled (on_schema_change), then merged by the strategy in one transaction.
//
// | strategy      | with unique_key                                   | without unique_key |
// |---------------|---------------------------------------------------|--------------------|
// | append        | insert every staged row                           | same               |
// | delete+insert | delete rows whose key is staged, insert staged    | insert (as dbt)    |
// | merge         | MERGE: update matched keys, insert the others     | insert (as dbt)    |
//
// Keys match with `=`, so a NULL key never matches and its row is inserted again each run.
// MERGE (PostgreSQL 15+, Redshift) fails when two staged rows carry the same key ("MERGE command
// cannot affect row a second time" / Redshift's duplicate-match error); delete+insert accepts
// them. Deduplicating the model's rows is the model's job.

import { ConfigError } from '../../errors.js';
import { quoteIdent } from '../../sql/quote-ident.js';
import type { WarehouseColumn } from '../../warehouse/warehouse.js';
import { type BuildTarget, qualified } from './build-target.js';
import { SchemaChangeError } from './materialization-error.js';
import { atomic, type PlannedStatement, type PlanStep, single } from './plan-step.js';
import { stagingName } from './relation-names.js';
import { planSchemaChange } from './schema-change.js';
import { planCleanup } from './table-plan.js';

/**
 * Stages the model's rows in a real table in the model's schema, not a TEMP table: each
 * Warehouse call may run in a session of its own (a pool on PostgreSQL; on Redshift every Data
 * API call without a session id), and a temp table would vanish between the staging call, the
 * column comparison and the transaction that uses it.
 */
export function planIncrementalStage(target: BuildTarget): PlanStep[] {
  const staging = qualified(target, stagingName(target.dialect, target.alias));
  // Unlogged (PostgreSQL) / BACKUP NO (Redshift): the copy lives for one run and needs no WAL or snapshot.
  const create = target.dialect === 'postgres' ? `create unlogged table ${staging} as\n${target.sql}` : `create table ${staging} backup no as\n${target.sql}`;
  return [planCleanup(target, [stagingName(target.dialect, target.alias)]), single(create)];
}

export function planIncrementalApply(target: BuildTarget, existing: readonly WarehouseColumn[], incoming: readonly WarehouseColumn[]): PlanStep[] {
  const schemaChange = planSchemaChange(target, existing, incoming);
  const columns = schemaChange.columns;
  if (columns.length === 0) {
    throw new SchemaChangeError(`${target.model}: none of the model's columns exist in ${target.schema}.${target.alias}; run it with --full-refresh`, {
      model: target.model,
    });
  }
  const staging = qualified(target, stagingName(target.dialect, target.alias));
  return [...schemaChange.before, atomic([...schemaChange.inTransaction, ...strategyStatements(target, columns, staging), { sql: `drop table ${staging}` }])];
}

function strategyStatements(target: BuildTarget, columns: readonly string[], staging: string): PlannedStatement[] {
  const relation = qualified(target);
  const keys = uniqueKey(target, columns);
  const list = columns.map(quoteIdent).join(', ');
  const insert: PlannedStatement = { sql: `insert into ${relation} (${list})\nselect ${list}\n  from ${staging}`, countsRows: true };
  const strategy = target.config.incremental_strategy ?? (keys.length > 0 ? 'delete+insert' : 'append');
  if (strategy === 'append' || keys.length === 0) return [insert];
  // Columns are qualified by the bare table name (`orders.id`), the form AWS's grammar and
  // examples use; a schema-qualified column reference (`"analytics"."orders"."id"`) is not.
  // https://docs.aws.amazon.com/redshift/latest/dg/r_DELETE.html
  // https://docs.aws.amazon.com/redshift/latest/dg/r_MERGE.html
  const targetName = quoteIdent(target.alias);
  if (strategy === 'delete+insert') {
    // DELETE … USING <table>: Redshift's grammar takes table names in USING, no alias.
    const stagingTable = quoteIdent(stagingName(target.dialect, target.alias));
    const matches = keys.map((key) => `${targetName}.${quoteIdent(key)} = ${stagingTable}.${quoteIdent(key)}`).join('\n   and ');
    return [{ sql: `delete from ${relation}\n using ${staging}\n where ${matches}` }, insert];
  }
  // Redshift's MERGE takes no alias for the target (only for the source) and wants bare column
  // names in SET and INSERT.
  const source = target.alias.toLowerCase() === 'source' ? 'pgshift_source' : 'source';
  const on = keys.map((key) => `${targetName}.${quoteIdent(key)} = ${source}.${quoteIdent(key)}`).join(' and ');
  const updated = columns.filter((column) => !keys.includes(column));
  // With only key columns there is nothing to update, but Redshift requires the WHEN MATCHED
  // clause; setting a key to itself changes nothing.
  const set = (updated.length > 0 ? updated : keys.slice(0, 1)).map((column) => `${quoteIdent(column)} = ${source}.${quoteIdent(column)}`).join(', ');
  const values = columns.map((column) => `${source}.${quoteIdent(column)}`).join(', ');
  return [
    {
      sql: `merge into ${relation}\nusing ${staging} as ${source}\n   on ${on}\n when matched then update set ${set}\n when not matched then insert (${list}) values (${values})`,
      countsRows: true,
    },
  ];
}

/**
 * The first (full) build of an incremental model checks its unique_key against the columns it
 * just built: otherwise a misspelt key passes today and fails the next run's merge.
 */
export function requireUniqueKeyColumns(target: BuildTarget, built: readonly string[]): void {
  const missing = (target.config.unique_key ?? []).filter((key) => !built.includes(key));
  if (missing.length === 0) return;
  throw new ConfigError(
    `${target.model}: unique_key ${missing.map((key) => `'${key}'`).join(', ')} is not a column the model selects (columns: ${built.join(', ')}); fix unique_key in its config or add the column to the select`,
    { model: target.model, key: 'unique_key', column: missing.join(', ') },
  );
}

function uniqueKey(target: BuildTarget, columns: readonly string[]): string[] {
  const keys = target.config.unique_key ?? [];
  const missing = keys.filter((key) => !columns.includes(key));
  if (missing.length > 0) {
    throw new ConfigError(
      `${target.model}: unique_key column(s) ${missing.join(', ')} are not columns of both the model and ${target.schema}.${target.alias} (columns: ${columns.join(', ')})`,
      {
        model: target.model,
        key: 'unique_key',
      },
    );
  }
  return keys;
}
