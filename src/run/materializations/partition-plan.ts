// SQL of a range-partitioned table on PostgreSQL (`partition_by`): the select lands in a staging
// table first, so it runs once and tells both the column list and the periods present; then the
// partitioned table is made LIKE it, one partition per period plus a default, and filled.

import { ConfigError } from '../../errors.js';
import { quoteIdent, quoteLiteral } from '../../sql/quote-ident.js';
import type { WarehouseColumn } from '../../warehouse/warehouse.js';
import { type BuildTarget, qualified } from './build-target.js';
import { atomic, type PlannedStatement, type PlanStep, single } from './plan-step.js';
import { type BoundType, type Granularity, periodPartition } from './partition-periods.js';
import { createIndexStatements, renameIndexStatements } from './postgres-indexes.js';
import { backupName, derivedName, partitionStageName, tmpName } from './relation-names.js';
import { planCleanup, type TableBuild } from './table-plan.js';

export interface PartitionSpec {
  readonly field: string;
  readonly granularity: Granularity;
  readonly bound: BoundType;
}

// Every partition is locked by the swap and by the drop of the old table, all in one transaction;
// thousands would exhaust max_locks_per_transaction, and planning slows long before that.
export const MAX_PARTITIONS = 1000;
// Partitions are created in transactions of this many, to keep each one's lock count small.
const PARTITIONS_PER_TRANSACTION = 50;

export function planPartitionStage(target: BuildTarget): PlanStep[] {
  const staging = partitionStageName(target.dialect, target.alias);
  return [
    planCleanup(target, [tmpName(target.dialect, target.alias), backupName(target.dialect, target.alias), staging]),
    // Unlogged: the staging copy is thrown away at the end and needs no WAL.
    single(`create unlogged table ${qualified(target, staging)} as\n${target.sql}`),
  ];
}

/** Checks `partition_by` against the staged columns: the field must be a date or timestamp. */
export function partitionSpec(target: BuildTarget, columns: readonly WarehouseColumn[]): PartitionSpec {
  const config = target.config.partition_by!;
  const context = { model: target.model, key: 'partition_by' };
  const column = columns.find((candidate) => candidate.name === config.field);
  if (!column) {
    throw new ConfigError(
      `${target.model}: partition_by.field '${config.field}' is not a column of the model (columns: ${columns.map((c) => c.name).join(', ')})`,
      context,
    );
  }
  const bound: BoundType | undefined = column.type === 'date' ? 'date' : column.type.startsWith('timestamp') ? 'timestamp' : undefined;
  if (!bound) throw new ConfigError(`${target.model}: partition_by.field '${config.field}' must be a date or timestamp column; it is ${column.type}`, context);
  const granularity = (config.granularity ?? 'day') as Granularity;
  if (granularity === 'hour' && bound === 'date')
    throw new ConfigError(`${target.model}: partition_by.granularity 'hour' needs a timestamp column; '${config.field}' is a date`, context);
  for (const index of target.config.indexes) {
    // PostgreSQL enforces uniqueness per partition, so a unique index must contain the key.
    if (index.unique && !index.columns.includes(config.field)) {
      throw new ConfigError(
        `${target.model}: a unique index on a partitioned table must include the partition column '${config.field}' (index on ${index.columns.join(', ')})`,
        { model: target.model, key: 'indexes' },
      );
    }
  }
  return { field: config.field, granularity, bound };
}

/** The distinct period starts in the staged rows; NULL and ±infinity go to the default partition. */
export function periodsQuery(target: BuildTarget, spec: PartitionSpec): string {
  const field = quoteIdent(spec.field);
  return `select distinct to_char(date_trunc(${quoteLiteral(spec.granularity)}, ${field}), 'YYYY-MM-DD HH24:MI:SS') as period
  from ${qualified(target, partitionStageName(target.dialect, target.alias))}
 where ${field} is not null and isfinite(${field})
 order by 1`;
}

export function planPartitionedBuild(target: BuildTarget, spec: PartitionSpec, periodStarts: readonly string[]): TableBuild {
  if (periodStarts.length > MAX_PARTITIONS) {
    throw new ConfigError(
      `${target.model}: partition_by would create ${periodStarts.length} ${spec.granularity} partitions (at most ${MAX_PARTITIONS}); choose a coarser granularity`,
      { model: target.model, key: 'partition_by' },
    );
  }
  const tmp = tmpName(target.dialect, target.alias);
  const staging = partitionStageName(target.dialect, target.alias);
  const partitions = periodStarts.map((start) => periodPartition(start, spec.granularity, spec.bound));
  const partitionName = (table: string, suffix: string) => derivedName(target.dialect, table, `__p${suffix}`);
  const create: PlannedStatement[] = partitions.map((partition) => ({
    sql: `create table ${qualified(target, partitionName(tmp, partition.suffix))} partition of ${qualified(target, tmp)} for values from (${quoteLiteral(partition.from)}) to (${quoteLiteral(partition.to)})`,
  }));
  create.push({ sql: `create table ${qualified(target, partitionName(tmp, 'default'))} partition of ${qualified(target, tmp)} default` });

  const steps: PlanStep[] = [
    single(`create table ${qualified(target, tmp)} (like ${qualified(target, staging)}) partition by range (${quoteIdent(spec.field)})`),
  ];
  for (let at = 0; at < create.length; at += PARTITIONS_PER_TRANSACTION) steps.push(atomic(create.slice(at, at + PARTITIONS_PER_TRANSACTION)));
  steps.push(single(`insert into ${qualified(target, tmp)}\nselect * from ${qualified(target, staging)}`, { countsRows: true }));
  steps.push(single(`drop table ${qualified(target, staging)}`));
  // Each partition's indexes are made first under names of our own: CREATE INDEX on the
  // partitioned table then attaches "an equivalent index [that] already exists" instead of making
  // one with a name PostgreSQL picks from the temporary partition's name
  // (https://www.postgresql.org/docs/15/sql-createindex.html, "Notes"), and the swap can rename
  // them to names without __pgshift_tmp.
  const suffixes = [...partitions.map((partition) => partition.suffix), 'default'];
  const partitionIndexes = suffixes.flatMap((suffix) => createIndexStatements(target.schema, partitionName(tmp, suffix), target.config.indexes, target.model));
  for (let at = 0; at < partitionIndexes.length; at += PARTITIONS_PER_TRANSACTION)
    steps.push(atomic(partitionIndexes.slice(at, at + PARTITIONS_PER_TRANSACTION)));
  steps.push(...createIndexStatements(target.schema, tmp, target.config.indexes, target.model).map((statement) => single(statement.sql)));

  const afterSwap: PlannedStatement[] = [
    ...renameIndexStatements(target.schema, tmp, target.alias, target.config.indexes),
    ...suffixes.flatMap((suffix) =>
      renameIndexStatements(target.schema, partitionName(tmp, suffix), partitionName(target.alias, suffix), target.config.indexes),
    ),
    ...suffixes.map((suffix) => ({
      sql: `alter table ${qualified(target, partitionName(tmp, suffix))} rename to ${quoteIdent(partitionName(target.alias, suffix))}`,
    })),
  ];
  return { steps, afterSwap };
}
