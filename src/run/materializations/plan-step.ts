// A materialization's plan: ordered steps of SQL, each run alone or as one transaction. Plans are
// pure data so golden files can show exactly what reaches the warehouse, step by step.

import type { Statement, StatementOptions, Warehouse } from '../../warehouse/warehouse.js';

export interface PlannedStatement extends Statement {
  /** Its row count is part of the rows the materialization reports (CTAS, INSERT, MERGE). */
  readonly countsRows?: boolean;
}

export interface PlanStep {
  /** All statements commit together (PostgreSQL BEGIN…COMMIT, Redshift BatchExecuteStatement). */
  readonly transaction: boolean;
  readonly statements: readonly PlannedStatement[];
}

export function single(sql: string, extra: Omit<PlannedStatement, 'sql'> = {}): PlanStep {
  return { transaction: false, statements: [{ sql, ...extra }] };
}

export function atomic(statements: readonly PlannedStatement[]): PlanStep {
  return { transaction: true, statements };
}

/** Runs steps in order; returns the rows counted by the statements that count rows. */
export async function runSteps(warehouse: Warehouse, steps: readonly PlanStep[], log: string[], options: StatementOptions = {}): Promise<number> {
  let rows = 0;
  let counted = false;
  let unknown = false;
  const tally = (statement: PlannedStatement, rowCount: number): void => {
    if (!statement.countsRows) return;
    counted = true;
    if (rowCount < 0) unknown = true;
    else rows += rowCount;
  };
  for (const step of steps) {
    if (step.transaction && step.statements.length > 0) {
      for (const statement of step.statements) log.push(statement.sql);
      const results = await warehouse.transaction(step.statements, options);
      for (const [index, statement] of step.statements.entries()) tally(statement, results[index]?.rowCount ?? -1);
      continue;
    }
    for (const statement of step.statements) {
      log.push(statement.sql);
      tally(statement, (await warehouse.execute(statement.sql, statement.params, options)).rowCount);
    }
  }
  // -1, as in ExecuteResult, when the warehouse did not say (the Data API may not for CTAS).
  return counted && unknown && rows === 0 ? -1 : rows;
}

/** SQL text of a plan as golden files show it: transactions framed, parameters listed. */
export function renderPlan(steps: readonly PlanStep[]): string {
  const blocks = steps
    .filter((step) => step.statements.length > 0)
    .map((step) => {
      const body = step.statements.map(renderStatement).join('\n');
      return step.transaction ? `-- one transaction\n${body}\n-- commit` : body;
    });
  return `${blocks.join('\n\n')}\n`;
}

function renderStatement(statement: PlannedStatement): string {
  const params = statement.params && statement.params.length > 0 ? `\n-- params: ${JSON.stringify(statement.params)}` : '';
  // A `;` after a trailing line comment would be read as part of the comment.
  const end = /--[^\n]*$/.test(statement.sql) ? '\n;' : ';';
  return `${statement.sql}${end}${params}`;
}
