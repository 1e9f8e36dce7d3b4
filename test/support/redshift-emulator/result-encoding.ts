// Turns PostgreSQL result rows (as the server's text) into the Data API's JSON shapes:
// ColumnMetadata and records of typed Field unions, with Redshift's type names.

export interface ResultField {
  name: string;
  dataTypeID: number;
  dataTypeModifier: number;
  tableID: number;
  columnID: number;
}

export interface ColumnMetadata {
  name: string;
  label: string;
  typeName: string;
  nullable: number;
  precision: number;
  scale: number;
  length: number;
  isSigned: boolean;
  isCurrency: boolean;
  isCaseSensitive: boolean;
  schemaName: string;
  tableName: string;
}

export type Field =
  | { isNull: true }
  | { stringValue: string }
  | { longValue: number }
  | { doubleValue: number | string }
  | { booleanValue: boolean }
  | { blobValue: string };

/** Where a result column came from, when it is a plain table column. */
export interface ColumnSource {
  schemaName: string;
  tableName: string;
  /** The table column's own name, which an alias in the select list does not change. */
  columnName: string;
  notNull: boolean;
}

// PostgreSQL type names whose Redshift spelling differs: SUPER is emulated by jsonb, VARBYTE by
// bytea, and Redshift has no unbounded text (TEXT is VARCHAR(256) there).
const REDSHIFT_TYPE_NAMES = new Map([
  ['jsonb', 'super'],
  ['bytea', 'varbyte'],
  ['text', 'varchar'],
]);
const INTEGER_TYPES = new Set(['int2', 'int4', 'int8', 'oid']);
const FLOAT_TYPES = new Set(['float4', 'float8']);
const SIGNED_TYPES = new Set([...INTEGER_TYPES, ...FLOAT_TYPES, 'numeric']);
const STRING_TYPES = new Set(['varchar', 'bpchar', 'text', 'name', 'char']);
// Display precision per type, as JDBC-style metadata reports it.
const FIXED_PRECISION = new Map([
  ['int2', 5],
  ['int4', 10],
  ['int8', 19],
  ['float4', 8],
  ['float8', 17],
  ['bool', 1],
  ['date', 13],
  ['timestamp', 29],
  ['timestamptz', 35],
]);

export function columnMetadata(
  fields: readonly ResultField[],
  typeName: (oid: number) => string,
  source: (field: ResultField) => ColumnSource | undefined,
  /**
   * ColumnMetadata has both "name" (the name of the column) and "label" (the label for the
   * column): https://docs.aws.amazon.com/redshift-data/latest/APIReference/API_ColumnMetadata.html.
   * As JDBC's getColumnName/getColumnLabel, which the service's metadata follows, the label is
   * what the select list calls the column (`a as b` → b) and the name the table column's (a).
   */
  nameFromTable = false,
): ColumnMetadata[] {
  return fields.map((field) => {
    const pgType = typeName(field.dataTypeID);
    const { precision, scale, length } = typeSize(pgType, field.dataTypeModifier);
    const origin = source(field);
    return {
      name: nameFromTable && origin ? origin.columnName : field.name,
      label: field.name,
      typeName: REDSHIFT_TYPE_NAMES.get(pgType) ?? pgType,
      // 0 = no nulls, 1 = nullable, 2 = unknown (an expression).
      nullable: origin ? (origin.notNull ? 0 : 1) : 1,
      precision,
      scale,
      length,
      isSigned: SIGNED_TYPES.has(pgType),
      isCurrency: false,
      isCaseSensitive: STRING_TYPES.has(pgType),
      schemaName: origin?.schemaName ?? '',
      tableName: origin?.tableName ?? '',
    };
  });
}

/** One Field per value; `text` is PostgreSQL's text output for the value, or null. */
export function encodeField(text: string | null, pgType: string): Field {
  if (text === null) return { isNull: true };
  if (INTEGER_TYPES.has(pgType)) return { longValue: Number(text) };
  if (FLOAT_TYPES.has(pgType)) {
    const value = Number(text);
    // JSON has no NaN or Infinity; the AWS JSON protocol spells them as strings.
    return { doubleValue: Number.isFinite(value) ? value : text === 'NaN' ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity' };
  }
  if (pgType === 'bool') return { booleanValue: text === 't' };
  if (pgType === 'bytea') return { blobValue: Buffer.from(text.slice(2), 'hex').toString('base64') };
  // NUMERIC/DECIMAL come back as strings so no digits are lost, as the Data API does.
  return { stringValue: text };
}

export function encodeRecords(rows: readonly (string | null)[][], pgTypes: readonly string[]): Field[][] {
  return rows.map((row) => row.map((value, index) => encodeField(value, pgTypes[index]!)));
}

function typeSize(pgType: string, modifier: number): { precision: number; scale: number; length: number } {
  if ((pgType === 'varchar' || pgType === 'bpchar') && modifier > 4) {
    return { precision: modifier - 4, scale: 0, length: modifier - 4 };
  }
  if (pgType === 'numeric' && modifier > 4) {
    const packed = modifier - 4;
    return { precision: (packed >> 16) & 0xffff, scale: packed & 0xffff, length: 0 };
  }
  return { precision: FIXED_PRECISION.get(pgType) ?? 0, scale: 0, length: 0 };
}
