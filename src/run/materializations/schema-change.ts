// on_schema_change for incremental models: compares the table's columns with the columns the
// model now selects and plans the ALTERs each mode calls for (dbt's four modes).
//
// | mode               | new columns      | removed columns        | type changes             |
// |--------------------|------------------|------------------------|--------------------------|
// | ignore             | not written      | left, NULL in new rows | none                     |
// | fail               | error            | error                  | none                     |
// | append_new_columns | added            | left, NULL in new rows | none                     |
// | sync_all_columns   | added            | dropped                | varchar widened; others  |
// |                    |                  |                        | converted (see below)    |
//
// None of the modes backfills a new column in existing rows; that takes --full-refresh.

import { quoteIdent } from '../../sql/quote-ident.js';
import { reencodeBeforeWidening } from '../../warehouse/redshift-alter-column.js';
import type { WarehouseColumn } from '../../warehouse/warehouse.js';
import { type BuildTarget, qualified } from './build-target.js';
import { SchemaChangeError } from './materialization-error.js';
import { type PlannedStatement, type PlanStep, single } from './plan-step.js';
import { derivedName } from './relation-names.js';

export interface TypeChange {
  readonly name: string;
  readonly from: string;
  readonly to: string;
}

export interface SchemaDiff {
  readonly added: readonly WarehouseColumn[];
  readonly removed: readonly WarehouseColumn[];
  readonly changed: readonly TypeChange[];
}

export interface SchemaChangePlan {
  /** Run alone before the data transaction: Redshift will not alter a column type inside one. */
  readonly before: PlanStep[];
  /** Run first inside the data transaction, so the table changes only if the rows land too. */
  readonly inTransaction: PlannedStatement[];
  /** Columns the insert/merge writes, in the table's order. */
  readonly columns: string[];
}

export function diffColumns(existing: readonly WarehouseColumn[], incoming: readonly WarehouseColumn[]): SchemaDiff {
  const before = new Map(existing.map((column) => [column.name, column.type]));
  const after = new Map(incoming.map((column) => [column.name, column.type]));
  return {
    added: incoming.filter((column) => !before.has(column.name)),
    removed: existing.filter((column) => !after.has(column.name)),
    changed: incoming
      .filter((column) => before.has(column.name) && before.get(column.name) !== column.type)
      .map((column) => ({ name: column.name, from: before.get(column.name)!, to: column.type })),
  };
}

export function planSchemaChange(target: BuildTarget, existing: readonly WarehouseColumn[], incoming: readonly WarehouseColumn[]): SchemaChangePlan {
  const diff = diffColumns(existing, incoming);
  const mode = target.config.on_schema_change;
  const incomingNames = new Set(incoming.map((column) => column.name));
  const shared = existing.map((column) => column.name).filter((name) => incomingNames.has(name));
  if (mode === 'ignore') return { before: [], inTransaction: [], columns: shared };
  if (mode === 'fail') {
    if (diff.added.length > 0 || diff.removed.length > 0) throw schemaChanged(target, diff);
    return { before: [], inTransaction: [], columns: shared };
  }

  const relation = qualified(target);
  const inTransaction: PlannedStatement[] = diff.added.map((column) => ({
    sql: `alter table ${relation} add column ${quoteIdent(column.name)} ${column.type}`,
  }));
  const before: PlanStep[] = [];
  if (mode === 'sync_all_columns') {
    // dbt-postgres drops without CASCADE too: a view that still reads the column stops the run
    // rather than disappearing with it.
    for (const column of diff.removed) {
      // "You can't drop a column that is the distribution key (DISTKEY) or a sort key (SORTKEY)"
      // https://docs.aws.amazon.com/redshift/latest/dg/r_ALTER_TABLE.html
      if (column.storage?.distKey || (column.storage?.sortKey ?? 0) !== 0) {
        const role = column.storage?.distKey ? 'DISTKEY' : 'SORTKEY';
        throw new SchemaChangeError(
          `${target.model}: column ${column.name} is gone from the model, but it is the ${role} of ${target.schema}.${target.alias} and Redshift cannot drop it; run the model with --full-refresh`,
          { model: target.model, relation: `${target.schema}.${target.alias}`, column: column.name },
        );
      }
    }
    inTransaction.push(...diff.removed.map((column) => ({ sql: `alter table ${relation} drop column ${quoteIdent(column.name)}` })));
    const storageOf = new Map(existing.map((column) => [column.name, column.storage]));
    for (const change of diff.changed) {
      const planned = planTypeChange(target, { ...change, storage: storageOf.get(change.name) });
      before.push(...planned.before);
      inTransaction.push(...planned.inTransaction);
    }
  }
  return { before, inTransaction, columns: [...shared, ...diff.added.map((column) => column.name)] };
}

function planTypeChange(
  target: BuildTarget,
  change: TypeChange & { storage?: WarehouseColumn['storage'] },
): { before: PlanStep[]; inTransaction: PlannedStatement[] } {
  const relation = qualified(target);
  const column = quoteIdent(change.name);
  const fromWidth = stringWidth(change.from);
  const toWidth = stringWidth(change.to);
  if (fromWidth !== undefined && toWidth !== undefined) {
    // A shorter string type is no reason to cut stored values: the wider column stays.
    if (toWidth <= fromWidth) return { before: [], inTransaction: [] };
    const widen = `alter table ${relation} alter column ${column} type ${change.to}`;
    // Redshift widens a varchar in place but refuses ALTER COLUMN … TYPE in a transaction block
    // (https://docs.aws.amazon.com/redshift/latest/dg/r_ALTER_TABLE.html); on PostgreSQL a
    // widening is a catalog-only change and stays inside the transaction.
    if (target.dialect !== 'redshift') return { before: [], inTransaction: [{ sql: widen }] };
    return { before: [...reencodeBeforeWidening(relation, change.name, change.storage?.encoding).map((sql) => single(sql)), single(widen)], inTransaction: [] };
  }
  if (target.dialect === 'postgres') {
    return { before: [], inTransaction: [{ sql: `alter table ${relation} alter column ${column} type ${change.to} using ${column}::${change.to}` }] };
  }
  // Redshift alters no other type in place; like dbt-redshift, copy into a new column and swap
  // names. The column moves to the end of the table.
  const scratch = quoteIdent(derivedName('redshift', change.name, '__pgshift_type'));
  return {
    before: [],
    inTransaction: [
      { sql: `alter table ${relation} add column ${scratch} ${change.to}` },
      { sql: `update ${relation} set ${scratch} = ${column}::${change.to}` },
      { sql: `alter table ${relation} drop column ${column}` },
      { sql: `alter table ${relation} rename column ${scratch} to ${column}` },
    ],
  };
}

/** Width of a string type (Infinity for unbounded), undefined for every other type. */
function stringWidth(type: string): number | undefined {
  if (type === 'text' || type === 'character varying') return Number.POSITIVE_INFINITY;
  const match = /^character varying\((\d+)\)$/.exec(type);
  return match ? Number(match[1]) : undefined;
}

function schemaChanged(target: BuildTarget, diff: SchemaDiff): SchemaChangeError {
  const list = (columns: readonly WarehouseColumn[]) => (columns.length > 0 ? columns.map((column) => column.name).join(', ') : 'none');
  return new SchemaChangeError(
    `${target.model}: the model's columns no longer match ${target.schema}.${target.alias} (on_schema_change: fail): ` +
      `new in the model: ${list(diff.added)}; gone from the model: ${list(diff.removed)}. ` +
      'Run it with --full-refresh, or set on_schema_change to append_new_columns or sync_all_columns.',
    {
      model: target.model,
      relation: `${target.schema}.${target.alias}`,
      added: diff.added.map((c) => c.name).join(','),
      removed: diff.removed.map((c) => c.name).join(','),
    },
  );
}
