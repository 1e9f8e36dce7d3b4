// A unit test node: render its model with each given input read from its rows (a CTE in place
// of the ref() or source()), run it, and compare the result with the expected rows. A failure
// names the test, its file, and the missing and unexpected rows.
// https://docs.getdbt.com/docs/build/unit-tests

import { type ModelNode, relationKey, renderWithIntrospection, type UnitTestNode, type UnitTestRows } from '../../manifest/index.js';
import { PgshiftError } from '../../errors.js';
import type { Warehouse, WarehouseColumn } from '../../warehouse/warehouse.js';
import { introspectionAnswers } from '../introspection-answers.js';
import type { NodeOutcome } from '../node-status.js';
import { describeDiff, diffRows, type Row } from '../unit-test-diff.js';
import { givenInputSql } from '../unit-test-given-sql.js';
import type { ExecutionContext, NodeExecutor } from './execution-context.js';

/** The unit test could not be judged: its model or expected query failed, or a column is missing. */
export class UnitTestError extends PgshiftError {
  override name = 'UnitTestError';
  constructor(message: string, test: UnitTestNode, options?: { cause?: unknown }) {
    super('UNIT_TEST_FAILED', message, { test: test.name, file: test.original_file_path }, options);
  }
}

export const executeUnitTest: NodeExecutor<UnitTestNode> = async (test, context) => {
  const where = `unit test ${test.name} (${test.original_file_path})`;
  const model = context.manifest.nodes[test.attached_node] as ModelNode;
  const { warehouse, signal } = context;
  const givenInputs: Record<string, string> = {};
  const params: unknown[] = [];
  for (const [index, given] of test.given.entries()) {
    const columns = await inputColumns(warehouse, context, given.node);
    let built: ReturnType<typeof givenInputSql>;
    try {
      built = givenInputSql(given, columns, warehouse.dialect, params.length + 1, `${where}: given[${index}]`);
    } catch (error) {
      throw new UnitTestError(error instanceof Error ? error.message : String(error), test, { cause: error });
    }
    givenInputs[given.node] = built.sql;
    params.push(...built.params);
  }
  const facts = {
    ...context.facts,
    relationExists: (schema: string, identifier: string) => context.existing.has(relationKey(schema, identifier)),
    vars: { ...context.facts.vars, ...test.overrides.vars },
    env: { ...context.facts.env, ...test.overrides.env_vars },
    givenInputs,
    // A model that is not incremental answers false, as on any build; compile checked that an
    // incremental one says which case it tests.
    isIncremental: test.overrides.macros.is_incremental ?? false,
  };
  const rendered = await renderWithIntrospection(context.renderer, model.unique_id, facts, introspectionAnswers(warehouse, signal));
  const actual = await rowsOf(warehouse, rendered.compiled_code, params, signal).catch((error: unknown) => {
    throw new UnitTestError(`${where}: model ${test.model} failed on the given rows: ${error instanceof Error ? error.message : String(error)}`, test, {
      cause: error,
    });
  });
  const expected = await expectedRows(warehouse, test, signal);
  const columns = expected.columns ?? actual.columns;
  const byLowerName = new Map(actual.columns.map((name) => [name.toLowerCase(), name]));
  const absent = columns.filter((name) => !byLowerName.has(name.toLowerCase()));
  if (absent.length > 0) {
    throw new UnitTestError(`${where}: model ${test.model} returns no column ${absent.join(', ')} (it returns ${actual.columns.join(', ')})`, test);
  }
  // Expected names as written, matched to the model's columns without regard to case.
  const actualRows = actual.rows.map((row) => Object.fromEntries(columns.map((name) => [name, row[byLowerName.get(name.toLowerCase())!]])));
  const diff = diffRows(columns, expected.rows, actualRows);
  const failures = diff.missing.length + diff.unexpected.length;
  if (failures === 0) return { status: 'pass', failures: 0 } satisfies NodeOutcome;
  return { status: 'fail', failures, message: `${where} of model ${test.model} failed: ${describeDiff(diff, columns)}` } satisfies NodeOutcome;
};

/** The input relation's columns, read from the warehouse, or undefined when it is not there (or is ephemeral). */
async function inputColumns(warehouse: Warehouse, context: ExecutionContext, id: string): Promise<WarehouseColumn[] | undefined> {
  const source = context.manifest.sources[id];
  if (source) return warehouse.describeTable(source.schema, source.identifier);
  const node = context.manifest.nodes[id];
  if (node?.resource_type === 'seed') return warehouse.describeTable(node.schema, node.alias);
  if (node?.resource_type === 'model' && node.relation_name !== null) return warehouse.describeTable(node.schema, node.alias);
  return undefined;
}

async function rowsOf(warehouse: Warehouse, sql: string, params: readonly unknown[], signal?: AbortSignal): Promise<{ columns: string[]; rows: Row[] }> {
  const table = await warehouse.queryTable(sql, params, { signal });
  const columns = [...table.columns];
  return { columns, rows: table.rows.map((values) => Object.fromEntries(columns.map((name, index) => [name, values[index]]))) };
}

async function expectedRows(warehouse: Warehouse, test: UnitTestNode, signal?: AbortSignal): Promise<{ columns: string[] | undefined; rows: Row[] }> {
  const expect: UnitTestRows = test.expect;
  const where = `unit test ${test.name} (${test.original_file_path})`;
  if (expect.format === 'sql') {
    return rowsOf(warehouse, expect.sql!, [], signal).catch((error: unknown) => {
      throw new UnitTestError(`${where}: expect's sql failed: ${error instanceof Error ? error.message : String(error)}`, test, { cause: error });
    });
  }
  const rows = expect.rows!;
  // No expected row: the model must return none, whatever its columns.
  const columns = rows.length === 0 ? undefined : [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return { columns, rows: [...rows] };
}
