// Comparing a model's query with its enforced contract (pure). dbt compares names and data types
// and, as its docs say, not size, precision or scale ("varchar(256)" and "text" are both strings):
// https://docs.getdbt.com/reference/resource-configs/contract#size-precision-and-scale
// So each type is reduced to its family, with the spellings PostgreSQL and Redshift accept for
// it (`int`, `int4`, `integer`; `varchar`, `character varying`, `text`). Order does not matter:
// the table is built in the contract's order and filled by name.

import type { ColumnConstraint, ModelConstraint } from '../../manifest/manifest.js';
import type { WarehouseColumn } from '../../warehouse/warehouse.js';

/** What an enforced contract declares, taken from the manifest node (build-target.ts). */
export interface ContractSpec {
  readonly aliasTypes: boolean;
  /** The declared columns in schema.yml's order. */
  readonly columns: readonly { readonly name: string; readonly dataType: string; readonly constraints: readonly ColumnConstraint[] }[];
  readonly constraints: readonly ModelConstraint[];
  /** The schema.yml that declares them, for messages. */
  readonly file: string;
}

export interface ContractColumn {
  readonly name: string;
  /** As written in schema.yml. */
  readonly dataType: string;
}

export type ContractMismatch =
  | { readonly column: string; readonly reason: 'missing in the query'; readonly declared: string }
  | { readonly column: string; readonly reason: 'not in the contract'; readonly actual: string }
  | { readonly column: string; readonly reason: 'type mismatch'; readonly declared: string; readonly actual: string };

const FAMILIES: Record<string, string> = {
  int: 'integer',
  int4: 'integer',
  integer: 'integer',
  int8: 'bigint',
  bigint: 'bigint',
  int2: 'smallint',
  smallint: 'smallint',
  text: 'text',
  varchar: 'text',
  'character varying': 'text',
  'char varying': 'text',
  nvarchar: 'text',
  string: 'text',
  char: 'character',
  character: 'character',
  bpchar: 'character',
  nchar: 'character',
  numeric: 'numeric',
  decimal: 'numeric',
  dec: 'numeric',
  float: 'double precision',
  float8: 'double precision',
  'double precision': 'double precision',
  float4: 'real',
  real: 'real',
  bool: 'boolean',
  boolean: 'boolean',
  timestamp: 'timestamp',
  'timestamp without time zone': 'timestamp',
  timestamptz: 'timestamptz',
  'timestamp with time zone': 'timestamptz',
  time: 'time',
  'time without time zone': 'time',
  timetz: 'timetz',
  'time with time zone': 'timetz',
};

/** The family a type belongs to: lower case, parameters dropped, aliases resolved (`VARCHAR(20)` → `text`). */
export function typeFamily(type: string): string {
  const bare = type
    .toLowerCase()
    .replace(/\([^)]*\)/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
  return FAMILIES[bare] ?? bare;
}

/**
 * The type the table is created with: as written, but dbt's `string` alias becomes `text`
 * when alias_types is on (its default), as dbt-postgres and dbt-redshift translate it.
 */
export function ddlType(dataType: string, aliasTypes: boolean): string {
  return aliasTypes && dataType.trim().toLowerCase() === 'string' ? 'text' : dataType;
}

/** Every difference between the contract and the query's columns: contract order, then the query's extras. */
export function compareWithContract(declared: readonly ContractColumn[], actual: readonly WarehouseColumn[]): ContractMismatch[] {
  const byName = new Map(actual.map((column) => [column.name, column]));
  const mismatches: ContractMismatch[] = [];
  for (const column of declared) {
    const found = byName.get(column.name);
    if (!found) mismatches.push({ column: column.name, reason: 'missing in the query', declared: column.dataType });
    else if (typeFamily(found.type) !== typeFamily(column.dataType))
      mismatches.push({ column: column.name, reason: 'type mismatch', declared: column.dataType, actual: found.type });
  }
  const names = new Set(declared.map((column) => column.name));
  for (const column of actual) if (!names.has(column.name)) mismatches.push({ column: column.name, reason: 'not in the contract', actual: column.type });
  return mismatches;
}

/** One line that lists every mismatch and says what to change. */
export function contractMismatchMessage(model: string, file: string, mismatches: readonly ContractMismatch[]): string {
  const items = mismatches.map((mismatch) =>
    mismatch.reason === 'missing in the query'
      ? `${mismatch.column} (${mismatch.declared}) is declared but missing in the query`
      : mismatch.reason === 'not in the contract'
        ? `${mismatch.column} (${mismatch.actual}) is in the query but not in the contract`
        : `${mismatch.column} is ${mismatch.actual} in the query but ${mismatch.declared} in the contract`,
  );
  return `${model}: the query does not match its enforced contract (${file}): ${items.join('; ')}; change the select or the columns' name and data_type in ${file}`;
}
