// What extract and load agree on about values Redshift cannot hold: the table's value_policy,
// what batch.json records of each finding, and the fixed VARCHAR widths text columns are sized
// to from the longest value the extract measured.
// VARCHAR holds at most 65,535 bytes: https://docs.aws.amazon.com/redshift/latest/dg/r_Character_types.html

export type ValuePolicy = 'fail' | 'truncate' | 'null';

export const REDSHIFT_MAX_VARCHAR_BYTES = 65535;

export type ValueProblem =
  | 'text over 65535 bytes'
  | 'the text \\N'
  | 'numeric NaN or infinity'
  | 'numeric beyond 28 integer digits'
  | 'an infinite or BC date/time';

export interface ValueFinding {
  readonly column: string;
  readonly problem: ValueProblem;
  readonly rows: number;
  /** The primary key of one such row, as `col=value, …`. */
  readonly example_key: string;
  readonly action: 'failed' | 'set to NULL' | 'truncated';
}

/** Rounded up to one of a few fixed widths, so small changes in data do not alter the DDL. */
export function varcharWidthFor(bytes: number): number {
  for (const width of [32, 256, 1024, 4096, 16384]) if (bytes <= width) return width;
  return REDSHIFT_MAX_VARCHAR_BYTES;
}
