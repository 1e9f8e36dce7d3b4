// Checks a model's query against its enforced contract before anything of the model is written.
// The query's columns are read without running it: an empty helper table is made from it
// (`limit 0`) and read back through describeTable, the same catalog query the rest of the runner
// uses, on PostgreSQL and on Redshift alike: the Data API runs each statement in a session of its
// own unless the caller keeps one alive (SessionKeepAliveSeconds, which pgshift does not use), so
// a temporary relation would be gone before it could be described
// (https://docs.aws.amazon.com/redshift-data/latest/APIReference/API_ExecuteStatement.html).
// A failed check drops the helper and leaves the model's relation as it was.

import { logger } from '../../log/logger.js';
import type { StatementOptions, Warehouse, WarehouseColumn } from '../../warehouse/warehouse.js';
import { type BuildTarget, qualified } from './build-target.js';
import type { ContractSpec } from './contract-types.js';
import { compareWithContract, contractMismatchMessage } from './contract-types.js';
import { ContractError } from './materialization-error.js';
import { runSteps, single } from './plan-step.js';
import { tmpName } from './relation-names.js';
import { planCleanup } from './table-plan.js';

/** Probes the query's columns under the model's temporary name and compares them with the contract. */
export async function checkQueryAgainstContract(
  warehouse: Warehouse,
  target: BuildTarget & { contract: ContractSpec },
  log: string[],
  options: StatementOptions,
): Promise<void> {
  const probe = tmpName(target.dialect, target.alias);
  let columns: WarehouseColumn[];
  try {
    await runSteps(
      warehouse,
      [
        planCleanup(target, [probe]),
        single(`create table ${qualified(target, probe)} as\nselect * from (\n${target.sql}\n) as pgshift_contract_probe limit 0`),
      ],
      log,
      options,
    );
    columns = (await warehouse.describeTable(target.schema, probe)) ?? [];
  } finally {
    await runSteps(warehouse, [planCleanup(target, [probe])], log, options).catch(() => undefined);
  }
  requireContractColumns(target, columns);
}

/** Throws a ContractError listing every difference between `columns` and the contract. */
export function requireContractColumns(target: BuildTarget & { contract: ContractSpec }, columns: readonly WarehouseColumn[]): void {
  const mismatches = compareWithContract(target.contract.columns, columns);
  if (mismatches.length === 0) return;
  throw new ContractError(contractMismatchMessage(target.model, target.contract.file, mismatches), { model: target.model, file: target.contract.file });
}

export function warnAboutConstraints(warnings: readonly string[]): void {
  for (const warning of warnings) logger.warn(warning);
}

export function hasContract(target: BuildTarget): target is BuildTarget & { contract: ContractSpec } {
  return target.contract !== undefined;
}
