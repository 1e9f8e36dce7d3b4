// Reads CSV the way Redshift's COPY does and writes it back in the one CSV dialect PostgreSQL's
// COPY reads without ambiguity (NULL = unquoted empty field, every value quoted), so Redshift's
// NULL rules, not PostgreSQL's, decide what lands in the table.
//
// What Redshift does, per the COPY documentation (data format and data conversion parameters):
// - CSV: fields may be enclosed in the QUOTE character (default "); a quote inside is doubled;
//   quoted fields may hold delimiters and newlines; white space between a delimiter and a quote
//   is ignored.
// - NULL AS 'null_string' (default '\N'): fields that match it load as NULL.
// - Empty fields ("two delimiters in succession with no characters between") load as NULL for
//   non-character columns (INT, DATE, …) always; for CHAR and VARCHAR they load as an empty
//   string unless EMPTYASNULL (or NULL AS '') is given.
// - BLANKSASNULL: fields of only white space load as NULL in CHAR/VARCHAR; in other types they
//   always do.
// - TRIMBLANKS removes trailing blanks from VARCHAR values; TRUNCATECOLUMNS cuts CHAR/VARCHAR
//   values to the column's length, which Redshift counts in bytes; without it a longer value is
//   the load error "String length exceeds DDL length".
// - IGNOREHEADER n skips the first n lines of every file; FILLRECORD fills missing trailing
//   columns with empty fields; IGNOREBLANKLINES skips empty lines.
// The documentation defines an empty field by its delimiters, so the emulator treats a quoted
// empty field ("") in a CHAR/VARCHAR column as an empty string and matches NULL AS only against
// unquoted fields; both are assumptions the docs do not settle.
//
// A part written by PostgreSQL's `COPY … TO STDOUT WITH (FORMAT csv)` has NULL as an unquoted
// empty field and '' as "": loaded with EMPTYASNULL, both survive; loaded without it, a NULL in
// a VARCHAR column becomes ''; and a text value that is exactly \N (written unquoted) becomes NULL.

import type { CsvLoadSpec } from './copy-load-spec.js';

export interface TargetColumn {
  name: string;
  /** CHAR, VARCHAR (and TEXT, which Redshift stores as VARCHAR). */
  isCharacter: boolean;
  isVarchar: boolean;
  /** Declared length, which Redshift measures in bytes. */
  maxLength?: number;
  /** DECIMAL/NUMERIC: the declared scale (undefined for an unconstrained numeric). */
  decimalScale?: number;
  isDecimal?: boolean;
}

/** A row Redshift would reject; the message is the reason stl_load_errors would show. */
export class LoadRowError extends Error {
  override name = 'LoadRowError';
  /** The s3:// URL of the file the row came from, once known. */
  file?: string;
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column?: string,
  ) {
    const where = [line > 0 ? `line ${line}` : '', column ? `column ${column}` : ''].filter(Boolean).join(', ');
    super(where ? `${reason} (${where})` : reason);
  }
}

interface RawField {
  value: string;
  quoted: boolean;
}

type State = 'field-start' | 'leading-space' | 'unquoted' | 'quoted' | 'quote-in-quoted' | 'after-quoted';

export class RedshiftCsvReencoder {
  /** Rows written out so far, over all files. */
  rows = 0;
  private state: State = 'field-start';
  private field = '';
  private quoted = false;
  private fields: RawField[] = [];
  private line = 1;
  private recordLine = 1;
  private headerLeft = 0;
  private pendingCarriageReturn = false;

  constructor(
    private readonly spec: CsvLoadSpec,
    private readonly columns: readonly TargetColumn[],
    private readonly strict = false,
  ) {}

  /** Starts a new file: headers are skipped per file, line numbers restart. */
  beginFile(): void {
    this.state = 'field-start';
    this.field = '';
    this.quoted = false;
    this.fields = [];
    this.line = 1;
    this.recordLine = 1;
    this.headerLeft = this.spec.ignoreHeader;
    this.pendingCarriageReturn = false;
  }

  /** Feeds decoded text; returns the PostgreSQL CSV of every record it completed. */
  push(text: string): string {
    const { delimiter, quote } = this.spec;
    let out = '';
    for (const c of text) {
      if (this.pendingCarriageReturn) {
        this.pendingCarriageReturn = false;
        if (c !== '\n') this.appendOutsideQuotes('\r');
      }
      switch (this.state) {
        case 'field-start':
        case 'leading-space':
          if (c === quote) {
            this.field = '';
            this.quoted = true;
            this.state = 'quoted';
          } else if (c === delimiter) this.endField();
          else if (c === '\n') out += this.endLine();
          else if (c === '\r') this.pendingCarriageReturn = true;
          else if (c === ' ' || c === '\t') {
            this.field += c;
            this.state = 'leading-space';
          } else {
            this.field += c;
            this.state = 'unquoted';
          }
          break;
        case 'unquoted':
          if (c === delimiter) this.endField();
          else if (c === '\n') out += this.endLine();
          else if (c === '\r') this.pendingCarriageReturn = true;
          else this.field += c;
          break;
        case 'quoted':
          if (c === quote) this.state = 'quote-in-quoted';
          else {
            if (c === '\n') this.line++;
            this.field += c;
          }
          break;
        case 'quote-in-quoted':
        case 'after-quoted':
          if (c === quote && this.state === 'quote-in-quoted') {
            this.field += quote;
            this.state = 'quoted';
          } else if (c === delimiter) this.endField();
          else if (c === '\n') out += this.endLine();
          else if (c === '\r') this.pendingCarriageReturn = true;
          else if (c === ' ' || c === '\t') this.state = 'after-quoted';
          else throw new LoadRowError('Invalid quote formatting for CSV', this.recordLine);
          break;
      }
    }
    return out;
  }

  /** Ends the current file; a last record without a newline still counts. */
  endFile(): string {
    if (this.state === 'quoted') throw new LoadRowError('Unterminated quoted field at end of file', this.recordLine);
    this.pendingCarriageReturn = false;
    if (this.state === 'field-start' && this.fields.length === 0) return '';
    return this.endLine();
  }

  private appendOutsideQuotes(c: string): void {
    if (this.state === 'quote-in-quoted' || this.state === 'after-quoted') {
      throw new LoadRowError('Invalid quote formatting for CSV', this.recordLine);
    }
    this.field += c;
    this.state = 'unquoted';
  }

  private endField(): void {
    this.fields.push({ value: this.field, quoted: this.quoted });
    this.field = '';
    this.quoted = false;
    this.state = 'field-start';
  }

  private endLine(): string {
    this.endField();
    const fields = this.fields;
    const line = this.recordLine;
    this.fields = [];
    this.line++;
    this.recordLine = this.line;
    if (this.headerLeft > 0) {
      this.headerLeft--;
      return '';
    }
    if (this.spec.ignoreBlankLines && fields.length === 1 && !fields[0]!.quoted && fields[0]!.value === '') return '';
    return this.encodeRecord(fields, line);
  }

  private encodeRecord(fields: RawField[], line: number): string {
    const { columns } = this;
    if (fields.length > columns.length) throw new LoadRowError('Extra column(s) found', line);
    if (fields.length < columns.length) {
      if (!this.spec.fillRecord) throw new LoadRowError('Delimiter not found', line);
      while (fields.length < columns.length) fields.push({ value: '', quoted: false });
    }
    this.rows++;
    return `${fields.map((field, index) => quoteForPostgres(this.convert(field, columns[index]!, line))).join(',')}\n`;
  }

  /** The value Redshift would store for one field, or null. */
  private convert(field: RawField, column: TargetColumn, line: number): string | null {
    const { spec } = this;
    if (!field.quoted && field.value === spec.nullString) return null;
    let value = field.value;
    if (!column.isCharacter) {
      if (value.trim() === '') return null;
      return column.isDecimal ? this.decimal(value.trim(), column, line) : value;
    }
    if (value === '' && !field.quoted) return spec.emptyAsNull ? null : '';
    if (spec.blanksAsNull && value !== '' && value.trim() === '') return null;
    if (spec.trimBlanks && column.isVarchar) value = value.replace(/ +$/, '');
    if (column.maxLength !== undefined && Buffer.byteLength(value) > column.maxLength) {
      if (!spec.truncateColumns) throw new LoadRowError('String length exceeds DDL length', line, column.name);
      value = truncateUtf8(value, column.maxLength);
    }
    return value;
  }

  /**
   * DECIMAL holds "128-bit signed integers with up to 38 digits of precision"
   * (https://docs.aws.amazon.com/redshift/latest/dg/r_Numeric_types201.html): no NaN, no
   * ±Infinity, which PostgreSQL's numeric would take. And COPY truncates digits past the
   * column's scale unless ROUNDEC, which rounds them (the page's example: 20.259 into a
   * DECIMAL(8,2) is 20.25 by default, 20.26 with ROUNDEC):
   * https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-conversion.html#copy-roundec
   */
  private decimal(value: string, column: TargetColumn, line: number): string {
    if (!this.strict) return value;
    if (/^[+-]?(nan|inf|infinity)$/i.test(value)) throw new LoadRowError(`Invalid digit, Value '${value[0]}', Pos 0, Type: Decimal`, line, column.name);
    const fraction = /^([+-]?\d*)\.(\d*)$/.exec(value);
    if (this.spec.roundDec || column.decimalScale === undefined || !fraction || fraction[2]!.length <= column.decimalScale) return value;
    return column.decimalScale === 0 ? fraction[1]! || '0' : `${fraction[1]}.${fraction[2]!.slice(0, column.decimalScale)}`;
  }
}

function quoteForPostgres(value: string | null): string {
  return value === null ? '' : `"${value.replaceAll('"', '""')}"`;
}

/** The longest prefix of `value` that fits in `bytes` UTF-8 bytes without splitting a character. */
function truncateUtf8(value: string, bytes: number): string {
  let used = 0;
  let end = 0;
  for (const c of value) {
    const size = Buffer.byteLength(c);
    if (used + size > bytes) break;
    used += size;
    end += c.length;
  }
  return value.slice(0, end);
}
