// dbt's model contract at compile time (https://docs.getdbt.com/reference/resource-configs/contract):
// node.contract with the checksum of what is promised, and the mistakes dbt refuses before
// anything runs: an ephemeral model with an enforced contract, a column without data_type,
// a constraint over a column the contract does not declare.

import { ConfigError } from '../errors.js';
import type { ColumnInfo, ModelConstraint, ModelContract } from '../manifest/manifest.js';
import type { ModelConfig } from '../manifest/node-config.js';
import { sha256 } from './checksum.js';

export interface ContractSubject {
  readonly uniqueId: string;
  /** The model's file, and the schema.yml that declares its columns, for messages. */
  readonly file: string;
  readonly patchFile: string | null;
  readonly config: ModelConfig;
  readonly columns: Record<string, ColumnInfo>;
  readonly constraints: readonly ModelConstraint[];
}

export function modelContract(subject: ContractSubject): ModelContract {
  const { enforced, alias_types } = subject.config.contract;
  if (!enforced) return { enforced, alias_types, checksum: null };
  checkEnforceable(subject);
  // Like dbt's contract checksum: the columns by name with their types and constraints, so
  // state:modified.contract can tell a changed promise from a changed query.
  const columns = Object.values(subject.columns)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((column) => [column.name, column.data_type, column.constraints]);
  const checksum = sha256(JSON.stringify({ columns, materialized: subject.config.materialized, constraints: subject.constraints }));
  return { enforced, alias_types, checksum };
}

function checkEnforceable(subject: ContractSubject): void {
  const where = { model: subject.uniqueId, file: subject.patchFile ?? subject.file };
  if (subject.config.materialized === 'ephemeral') {
    throw new ConfigError(
      `${subject.uniqueId}: an enforced contract needs a relation to check, and an ephemeral model has none; materialize it as a table, view or incremental, or remove contract.enforced`,
      where,
    );
  }
  // dbt refuses the other two: with `ignore` a new declared column would never reach the table,
  // and `sync_all_columns` would drop what the contract still promises.
  // https://docs.getdbt.com/reference/resource-configs/contract, https://github.com/dbt-labs/dbt-core/issues/7975
  const onSchemaChange = subject.config.on_schema_change;
  if (subject.config.materialized === 'incremental' && onSchemaChange !== 'append_new_columns' && onSchemaChange !== 'fail') {
    throw new ConfigError(
      `${subject.uniqueId}: on_schema_change is ${onSchemaChange}, but an incremental model with an enforced contract needs on_schema_change: append_new_columns or fail`,
      { ...where, key: 'on_schema_change' },
    );
  }
  const columns = Object.values(subject.columns);
  if (columns.length === 0) {
    throw new ConfigError(
      `${subject.uniqueId}: the contract is enforced but no schema.yml declares its columns; list every column with name and data_type`,
      where,
    );
  }
  const untyped = columns.filter((column) => !column.data_type).map((column) => column.name);
  if (untyped.length > 0) {
    throw new ConfigError(
      `${subject.patchFile ?? subject.file}: ${subject.uniqueId} enforces its contract, so every column needs data_type; missing for ${untyped.join(', ')}`,
      where,
    );
  }
  for (const constraint of subject.constraints) {
    if (constraint.columns.length === 0 && ['primary_key', 'unique', 'foreign_key', 'not_null'].includes(constraint.type)) {
      throw new ConfigError(
        `${subject.patchFile ?? subject.file}: ${subject.uniqueId}: the model-level ${constraint.type} constraint needs columns: [...]`,
        where,
      );
    }
    const unknown = constraint.columns.filter((name) => subject.columns[name] === undefined);
    if (unknown.length > 0) {
      throw new ConfigError(
        `${subject.patchFile ?? subject.file}: ${subject.uniqueId}: the ${constraint.type} constraint names ${unknown.join(', ')}, which the contract does not declare`,
        where,
      );
    }
  }
}
