// Loads a seed: parses its CSV, types its columns, fills a new table and swaps it in, so the seed
// table always holds exactly the file's rows, with the file's columns.

import type { SeedNode } from '../../manifest/manifest.js';
import { CancelledError, CompileError, errorMessage, PgshiftError } from '../../errors.js';
import type { StatementOptions, Warehouse } from '../../warehouse/warehouse.js';
import { createSchemaStep, type RelationTarget } from './build-target.js';
import { MaterializationError } from './materialization-error.js';
import { type PlannedStatement, runSteps } from './plan-step.js';
import { relationKind } from './relation-kind.js';
import { tmpName } from './relation-names.js';
import { CsvSyntaxError, parseCsv } from '../../util/seed-csv.js';
import { planSeedLoad, planSeedSwap } from './seed-plan.js';
import { type SeedColumn, seedColumns } from './seed-types.js';
import { dropLeftovers } from './table.js';

export interface SeedLoadResult {
  readonly rowsAffected: number;
  readonly columns: SeedColumn[];
  readonly statements: string[];
}

export interface SeedRows {
  readonly columns: SeedColumn[];
  readonly rows: Array<Array<string | null>>;
}

/** Reads the CSV text of `seed` into typed columns and rows; errors name the file and line. */
export function readSeed(seed: SeedNode, csvText: string, dialect: Warehouse['dialect']): SeedRows {
  const file = seed.original_file_path;
  let records: ReturnType<typeof parseCsv>;
  try {
    records = parseCsv(csvText, seed.config.delimiter);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new CompileError(`${file}:${error.line}: ${error.message}`, { file, seed: seed.unique_id });
    throw error;
  }
  const [header, ...data] = records;
  const width = seed.column_names.length;
  if (!header || header.fields.length !== width) {
    throw new CompileError(
      `${file}:1: the header has ${header?.fields.length ?? 0} columns, but the seed was compiled with ${width} (${seed.column_names.join(', ')}); compile again`,
      { file, seed: seed.unique_id },
    );
  }
  for (const record of data) {
    if (record.fields.length !== width) {
      throw new CompileError(`${file}:${record.line}: the row has ${record.fields.length} fields; the header has ${width}`, { file, seed: seed.unique_id });
    }
  }
  return { columns: seedColumns(seed, data, dialect), rows: data.map((record) => record.fields) };
}

export async function loadSeed(
  warehouse: Warehouse,
  seed: SeedNode,
  csvText: string,
  options: StatementOptions = {},
  grants: readonly PlannedStatement[] = [],
): Promise<SeedLoadResult> {
  const { columns, rows } = readSeed(seed, csvText, warehouse.dialect);
  const target: RelationTarget = { dialect: warehouse.dialect, model: seed.unique_id, schema: seed.schema, alias: seed.alias };
  const statements: string[] = [];
  try {
    await runSteps(warehouse, [createSchemaStep(seed.schema)], statements, options);
    const rowsAffected = await runSteps(warehouse, planSeedLoad(target, columns, rows), statements, options);
    const existing = await relationKind(warehouse, seed.schema, seed.alias, options);
    await runSteps(warehouse, [planSeedSwap(target, existing, grants)], statements, options);
    // An INSERT's row count is always reported, so this is exact; the file is the truth otherwise.
    return { rowsAffected: rowsAffected < 0 ? rows.length : rowsAffected, columns, statements };
  } catch (error) {
    await dropLeftovers(warehouse, target, [tmpName(target.dialect, target.alias)]);
    if (error instanceof CancelledError || (error instanceof PgshiftError && error.code !== 'WAREHOUSE_FAILED')) throw error;
    throw new MaterializationError(
      `${seed.unique_id}: loading ${seed.original_file_path} into ${seed.schema}.${seed.alias} failed: ${errorMessage(error)}`,
      {
        model: seed.unique_id,
        relation: `${seed.schema}.${seed.alias}`,
        file: seed.original_file_path,
      },
      { cause: error },
    );
  }
}
