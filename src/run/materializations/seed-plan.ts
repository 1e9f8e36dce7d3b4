// SQL of a seed load: a new table under a temporary name, filled by multi-row INSERTs with the
// values as parameters, then swapped in atomically like a table model.

import { quoteIdent } from '../../sql/quote-ident.js';
import { qualified, type RelationTarget } from './build-target.js';
import { atomic, type PlannedStatement, type PlanStep, single } from './plan-step.js';
import type { RelationKind } from './relation-kind.js';
import { backupName, tmpName } from './relation-names.js';
import type { SeedColumn } from './seed-types.js';
import { planCleanup, planSwap } from './table-plan.js';

export const ROWS_PER_INSERT = 500;
// PostgreSQL's wire protocol numbers parameters with 16 bits.
const MAX_POSTGRES_PARAMETERS = 65535;
// The Data API refuses a query string over 100 kB; parameters count toward the request too, so
// each Redshift INSERT keeps its SQL and values together under this.
const MAX_REDSHIFT_STATEMENT_BYTES = 64 * 1024;
// Statements per transaction while filling: well under BatchExecuteStatement's 40, and fewer
// round trips than one call per INSERT.
const INSERTS_PER_TRANSACTION = 20;

export function planSeedLoad(target: RelationTarget, columns: readonly SeedColumn[], rows: ReadonlyArray<ReadonlyArray<string | null>>): PlanStep[] {
  const tmp = tmpName(target.dialect, target.alias);
  const inserts = insertStatements(target, tmp, columns, rows);
  const steps: PlanStep[] = [
    planCleanup(target, [tmp, backupName(target.dialect, target.alias)]),
    single(`create table ${qualified(target, tmp)} (\n${columns.map((column) => `  ${quoteIdent(column.name)} ${column.type}`).join(',\n')}\n)`),
  ];
  // The temporary table is nobody else's yet, so filling it needs no single transaction: only
  // the swap has to be atomic.
  for (let at = 0; at < inserts.length; at += INSERTS_PER_TRANSACTION) steps.push(atomic(inserts.slice(at, at + INSERTS_PER_TRANSACTION)));
  return steps;
}

/** `grants`: the seed's declared GRANTs, run in the swap so readers never see it without them. */
export function planSeedSwap(target: RelationTarget, existing: RelationKind | undefined, grants: readonly PlannedStatement[] = []): PlanStep {
  return planSwap(target, existing, grants);
}

function insertStatements(
  target: RelationTarget,
  table: string,
  columns: readonly SeedColumn[],
  rows: ReadonlyArray<ReadonlyArray<string | null>>,
): PlannedStatement[] {
  const head = `insert into ${qualified(target, table)} (${columns.map((column) => quoteIdent(column.name)).join(', ')}) values\n`;
  const maxRows = Math.max(1, Math.min(ROWS_PER_INSERT, Math.floor(MAX_POSTGRES_PARAMETERS / Math.max(columns.length, 1))));
  const statements: PlannedStatement[] = [];
  let tuples: string[] = [];
  let params: Array<string | null> = [];
  let bytes = head.length;
  const flush = () => {
    if (tuples.length === 0) return;
    statements.push({ sql: head + tuples.join(',\n'), params, countsRows: true });
    tuples = [];
    params = [];
    bytes = head.length;
  };
  for (const row of rows) {
    const values = columns.map((_, index) => row[index] ?? null);
    const tuple = `(${values.map((_, index) => `$${params.length + index + 1}`).join(', ')})`;
    const rowBytes = tuple.length + 2 + values.reduce((sum, value) => sum + (value === null ? 4 : Buffer.byteLength(value, 'utf8') + 8), 0);
    const full = tuples.length >= maxRows || (target.dialect === 'redshift' && tuples.length > 0 && bytes + rowBytes > MAX_REDSHIFT_STATEMENT_BYTES);
    if (full) {
      flush();
      // Placeholders restart at $1 in the new statement.
      tuples.push(`(${values.map((_, index) => `$${index + 1}`).join(', ')})`);
    } else {
      tuples.push(tuple);
    }
    params.push(...values);
    bytes += rowBytes;
  }
  flush();
  return statements;
}
