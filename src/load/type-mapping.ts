// PostgreSQL source types → raw-table types. The PostgreSQL warehouse keeps the closest native
// type; Redshift gets the documented mapping below, and every lossy or unsupported case
// produces a warning naming the column, never a silent change. Types are written the way
// format_type() prints them, so drift detection can compare them as text.
//
// | source                         | Redshift                          | note                               |
// |--------------------------------|-----------------------------------|------------------------------------|
// | smallint, integer, bigint      | same                              |                                    |
// | numeric(p,s), p ≤ 38           | numeric(p,s)                      |                                    |
// | numeric(p,s), p > 38           | character varying(…) (text)       | warning: Redshift caps at 38 digits|
// | numeric (unconstrained)        | numeric(38,10)                    | warning: rounds past 10 decimals   |
// | real, double precision         | same                              | NaN/±Infinity load as such         |
// | boolean                        | boolean                           |                                    |
// | text                           | character varying(65535)          | warning: Redshift's 64 KB limit    |
// | varchar(n), char(n)            | character varying(min(4n,65535))  | Redshift counts bytes, not chars   |
// | uuid                           | character(36)                     |                                    |
// | date                           | date                              |                                    |
// | time, timetz                   | character varying(15) / (24)      | warning: ISO text (10:15:00.5+02)  |
// | timestamp, timestamptz         | same                              |                                    |
// | interval                       | character varying(64)             | warning: ISO-8601 text (P1DT2H)    |
// | json, jsonb                    | character varying(65535)          | warning: JSON text, 64 KB limit    |
// | arrays                         | character varying(65535)          | warning: PostgreSQL array literal  |
// | bytea                          | character varying(65535)          | warning: hex text `\x…`            |
// | enum                           | character varying(256)            |                                    |
// | domain                         | its base type                     |                                    |
// | anything else                  | character varying(65535)          | warning: stored as its text form   |

import type { SourceColumn } from '../batch/source-column.js';
import type { Dialect } from '../warehouse/warehouse.js';

export interface MappedType {
  readonly type: string;
  readonly warning?: string;
}

const REDSHIFT_MAX_VARCHAR = 65535;
const REDSHIFT_TEXT = `character varying(${REDSHIFT_MAX_VARCHAR})`;

export function mapColumnType(column: SourceColumn, dialect: Dialect): MappedType {
  return dialect === 'postgres'
    ? mapToPostgres(column)
    : mapToRedshift(column.kind === 'domain' ? { ...column, kind: 'base', type: column.baseType ?? 'text' } : column);
}

function mapToPostgres(column: SourceColumn): MappedType {
  // Enums and domains live in the source database only; their values travel as text.
  if (column.kind === 'enum') return { type: 'text' };
  if (column.kind === 'domain') return { type: column.baseType ?? 'text' };
  if (column.category === 'A' && !column.builtin) return { type: 'text[]' };
  if (!column.builtin || column.kind !== 'base') {
    return { type: 'text', warning: `${column.name}: type ${column.type} does not ship with PostgreSQL; the warehouse stores its text form` };
  }
  return { type: column.type };
}

function mapToRedshift(column: SourceColumn): MappedType {
  const text = (why: string): MappedType => ({ type: REDSHIFT_TEXT, warning: `${column.name}: ${column.type} → ${REDSHIFT_TEXT}: ${why}` });
  if (column.category === 'A') return text('arrays are stored as PostgreSQL array literals ({a,b,NULL})');
  if (column.kind === 'enum') return { type: 'character varying(256)' };
  const type = column.type;
  const varchar = /^character varying\((\d+)\)$/.exec(type) ?? /^character\((\d+)\)$/.exec(type);
  if (varchar) return { type: `character varying(${Math.min(Number(varchar[1]) * 4, REDSHIFT_MAX_VARCHAR)})` };
  const numeric = /^numeric\((\d+),(\d+)\)$/.exec(type);
  if (numeric) {
    if (Number(numeric[1]) <= 38) return { type };
    return text(`Redshift numerics hold at most 38 digits; values keep their exact text`);
  }
  switch (type) {
    case 'smallint':
    case 'integer':
    case 'bigint':
    case 'real':
    case 'double precision':
    case 'boolean':
    case 'date':
    case 'timestamp without time zone':
    case 'timestamp with time zone':
      return { type };
    // COPY's documented formats cover DATE, TIMESTAMP and TIMESTAMPTZ only; no page says how COPY
    // reads a TIME or TIMETZ field, so they load as their exact ISO text and models cast them
    // (::time). https://docs.aws.amazon.com/redshift/latest/dg/r_DATEFORMAT_and_TIMEFORMAT_strings.html
    case 'time without time zone':
      return {
        type: 'character varying(15)',
        warning: `${column.name}: time → character varying(15): COPY documents no TIME format, so the column holds its ISO text (10:15:00.5); cast it with ::time in models`,
      };
    case 'time with time zone':
      return {
        type: 'character varying(24)',
        warning: `${column.name}: timetz → character varying(24): COPY documents no TIMETZ format, so the column holds its ISO text (10:15:00.5+02); cast it with ::timetz in models`,
      };
    case 'numeric':
      return {
        type: 'numeric(38,10)',
        warning: `${column.name}: numeric without precision → numeric(38,10): values with more than 28 integer digits fail and decimals past 10 are rounded (COPY … ROUNDEC)`,
      };
    case 'text':
    case 'character varying':
      return {
        type: REDSHIFT_TEXT,
        warning: `${column.name}: ${type} → ${REDSHIFT_TEXT}: values over 65,535 bytes cannot load into Redshift and fail the batch`,
      };
    case 'uuid':
      return { type: 'character(36)' };
    case 'interval':
      return { type: 'character varying(64)', warning: `${column.name}: interval → character varying(64): stored as ISO-8601 text such as P1DT2H` };
    case 'json':
    case 'jsonb':
      return text('JSON is stored as text (parse it in models with json_extract_path_text or JSON_PARSE); documents over 64 KB fail the batch');
    case 'bytea':
      return text('bytes are stored as hex text (\\x…)');
    default:
      if (/^time\(\d\)/.test(type)) return mapToRedshift({ ...column, type: type.replace(/\(\d\)/, '') });
      if (/^timestamp\(\d\)/.test(type)) return { type: type.replace(/\(\d\)/, '') };
      return text(`Redshift has no ${type}; the column holds its PostgreSQL text form`);
  }
}
