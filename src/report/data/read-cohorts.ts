// Monthly cohort retention for the heat map: the cohorts of the twelve months up to the report
// day. The share is computed from the two counts, so it does not depend on whether the model
// stores retention_rate as a fraction or as a percentage.

import type { StatementOptions, Warehouse } from '../../warehouse/warehouse.js';
import { monthStart } from '../report-date.js';
import { ReportError, runFirstHint } from '../report-error.js';
import { numberValue, orderByKey, relationOf, selectList, sourceColumn, textValue } from '../report-sql.js';
import { REPORT_TABLES, type ReportTable } from '../report-tables.js';

export interface CohortCell {
  readonly cohortMonth: string;
  readonly monthsSinceFirst: number;
  readonly customers: number;
  readonly cohortSize: number;
  /** customers / cohort_size, 0…1. */
  readonly retained: number;
}

const COHORT_MONTHS = 12;

export async function readCohorts(
  warehouse: Warehouse,
  schema: string,
  date: string,
  options?: StatementOptions,
  table: ReportTable = REPORT_TABLES.cohort_retention,
): Promise<CohortCell[]> {
  const columns = ['cohort_month', 'months_since_first', 'customers', 'cohort_size'];
  const rows = await warehouse.query(
    `select ${selectList(table, columns)} from ${relationOf(schema, table)}
      where ${sourceColumn(table, 'cohort_month')} between cast($1 as date) and cast($2 as date) and ${sourceColumn(table, 'months_since_first')} < ${COHORT_MONTHS}
      ${orderByKey(table)}`,
    [monthStart(date, -(COHORT_MONTHS - 1)), date],
    options,
  );
  if (rows.length === 0) {
    throw new ReportError(`report for ${date}: ${schema}.${table.name} has no cohorts up to ${date}; ${runFirstHint(date)}`, {
      table: `${schema}.${table.name}`,
      date,
    });
  }
  return rows.map((row) => {
    const customers = numberValue(row.customers);
    const cohortSize = numberValue(row.cohort_size);
    return {
      cohortMonth: textValue(row.cohort_month)!,
      monthsSinceFirst: numberValue(row.months_since_first),
      customers,
      cohortSize,
      retained: cohortSize > 0 ? customers / cohortSize : 0,
    };
  });
}
