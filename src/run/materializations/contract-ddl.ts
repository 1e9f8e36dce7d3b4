// The DDL of a table with an enforced contract (pure): created with the declared column types
// and constraints, then filled by name from the model's query, as dbt-postgres and dbt-redshift
// do (`create table … (columns, constraints)` then `insert into … select`).
//
// PostgreSQL enforces every constraint. Redshift enforces NOT NULL only; PRIMARY KEY, UNIQUE and
// FOREIGN KEY are informational (kept, used by the planner, not checked) and CHECK is not in its
// CREATE TABLE grammar:
// https://docs.aws.amazon.com/redshift/latest/dg/t_Defining_constraints.html
// https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_TABLE_NEW.html
// dbt-redshift declares the same (CONSTRAINT_SUPPORT in dbt/adapters/redshift/impl.py: check
// NOT_SUPPORTED, not_null ENFORCED, unique/primary_key/foreign_key NOT_ENFORCED) and leaves an
// unsupported constraint out with a warning, which `warn_unsupported: false` silences.

import type { ColumnConstraint, ModelConstraint } from '../../manifest/manifest.js';
import { quoteIdent } from '../../sql/quote-ident.js';
import { type BuildTarget, qualified } from './build-target.js';
import { type ContractSpec, ddlType } from './contract-types.js';
import { redshiftTableAttributes } from './redshift-table-attributes.js';
import { derivedName } from './relation-names.js';

export interface ContractDdl {
  readonly create: string;
  readonly insert: string;
  /**
   * PRIMARY KEY and UNIQUE, added to the model's table in the swap's transaction. Made on the
   * temporary table they would carry its name (PostgreSQL names their indexes after the table,
   * `customers__pgshift_tmp_pkey`) into the model's, and the next build's temporary table would
   * collide with it. Added after the rename they get the model's names, and a duplicate key fails
   * the swap, which leaves the previous table. Redshift takes them as ALTER TABLE … ADD
   * table_constraint: https://docs.aws.amazon.com/redshift/latest/dg/r_ALTER_TABLE.html
   */
  readonly afterSwap: string[];
  /** Constraints left out or not enforced on this warehouse, one line each. */
  readonly warnings: string[];
}

const REDSHIFT_UNENFORCED = new Set(['unique', 'primary_key', 'foreign_key']);

export function contractTableDdl(target: BuildTarget, contract: ContractSpec, name: string): ContractDdl {
  const warnings: string[] = [];
  const kept = (constraint: ColumnConstraint, where: string): boolean => {
    if (target.dialect === 'redshift' && constraint.type === 'check') {
      if (constraint.warn_unsupported) warnings.push(`${target.model}: the check constraint on ${where} is not supported by Redshift and is left out`);
      return false;
    }
    if (constraint.type === 'foreign_key' && constraint.expression === null) {
      if (constraint.warn_unsupported)
        warnings.push(`${target.model}: the foreign_key constraint on ${where} needs expression: "<schema>.<table> (<column>)"; left out`);
      return false;
    }
    if (target.dialect === 'redshift' && REDSHIFT_UNENFORCED.has(constraint.type) && constraint.warn_unenforced) {
      warnings.push(`${target.model}: the ${constraint.type} constraint on ${where} is informational on Redshift, not enforced`);
    }
    return true;
  };
  const afterSwap: string[] = [];
  // An unnamed CHECK would be named after the temporary table; it gets the model's name instead.
  const checkNames = new Set<string>();
  const withCheckName = <C extends ColumnConstraint>(constraint: C, base: string): C => {
    if (constraint.type !== 'check' || constraint.name !== null) return constraint;
    let name = derivedName(target.dialect, target.alias, `_${base}check`);
    for (let n = 1; checkNames.has(name); n++) name = derivedName(target.dialect, target.alias, `_${base}check${n}`);
    checkNames.add(name);
    return { ...constraint, name };
  };
  const keyed = (constraint: ColumnConstraint) => constraint.type === 'primary_key' || constraint.type === 'unique';
  const notNullFromModel = new Set(contract.constraints.filter((constraint) => constraint.type === 'not_null').flatMap((constraint) => constraint.columns));
  const lines = contract.columns.map((column) => {
    const clauses: string[] = [];
    for (const constraint of column.constraints.filter((each) => kept(each, `column ${column.name}`))) {
      if (keyed(constraint)) afterSwap.push(`alter table ${qualified(target)} add ${tableClause({ ...constraint, columns: [column.name] })}`);
      else clauses.push(columnClause(withCheckName(constraint, `${column.name}_`)));
    }
    if (notNullFromModel.has(column.name) && !column.constraints.some((constraint) => constraint.type === 'not_null')) clauses.push('not null');
    return [`${quoteIdent(column.name)} ${ddlType(column.dataType, contract.aliasTypes)}`, ...clauses].join(' ');
  });
  for (const constraint of contract.constraints) {
    if (constraint.type === 'not_null') continue;
    if (!kept(constraint, constraint.columns.length > 0 ? `columns ${constraint.columns.join(', ')}` : 'the model')) continue;
    if (keyed(constraint)) afterSwap.push(`alter table ${qualified(target)} add ${tableClause(constraint)}`);
    else lines.push(tableClause(withCheckName(constraint, '')));
  }
  const attributes = target.dialect === 'redshift' ? redshiftTableAttributes(target.config, target.model) : '';
  const names = contract.columns.map((column) => quoteIdent(column.name)).join(', ');
  return {
    create: `create table ${qualified(target, name)} (\n  ${lines.join(',\n  ')}\n)${attributes}`,
    // By name, so the query's column order does not matter; the subquery's alias keeps it one select.
    insert: `insert into ${qualified(target, name)} (${names})\nselect ${names} from (\n${target.sql}\n) as ${quoteIdent('pgshift_contract_query')}`,
    afterSwap,
    warnings,
  };
}

function named(constraint: ColumnConstraint, clause: string): string {
  return constraint.name === null ? clause : `constraint ${quoteIdent(constraint.name)} ${clause}`;
}

function columnClause(constraint: ColumnConstraint): string {
  switch (constraint.type) {
    case 'not_null':
      return named(constraint, 'not null');
    case 'unique':
      return named(constraint, 'unique');
    case 'primary_key':
      return named(constraint, 'primary key');
    case 'check':
      return named(constraint, `check (${constraint.expression ?? 'true'})`);
    case 'foreign_key':
      return named(constraint, `references ${constraint.expression}`);
    case 'custom':
      return constraint.expression ?? '';
  }
}

function tableClause(constraint: ModelConstraint): string {
  const columns = `(${constraint.columns.map(quoteIdent).join(', ')})`;
  switch (constraint.type) {
    case 'unique':
      return named(constraint, `unique ${columns}`);
    case 'primary_key':
      return named(constraint, `primary key ${columns}`);
    case 'check':
      return named(constraint, `check (${constraint.expression ?? 'true'})`);
    case 'foreign_key':
      return named(constraint, `foreign key ${columns} references ${constraint.expression}`);
    case 'custom':
    case 'not_null':
      return constraint.expression ?? '';
  }
}
