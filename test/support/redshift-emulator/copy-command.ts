// Parses Redshift's `COPY table [(columns)] FROM 's3://…' option…` into a plain object. Options
// are read generically (keyword, optional AS, optional value) and then checked against the set
// the emulator can honour, so an unsupported load fails loudly instead of loading differently.

import { stringValue } from './sql-tokenizer.js';
import { TokenCursor } from './token-cursor.js';

export interface CopyCommand {
  table: string[];
  columns?: string[];
  source: string;
  /** Upper-cased option keyword → its value (`true` for a bare flag). */
  options: ReadonlyMap<string, string | true>;
}

export class CopySyntaxError extends Error {
  override name = 'CopySyntaxError';
}

// Options whose value is a bare word rather than a literal (FORMAT AS CSV, COMPUPDATE OFF, …).
const WORD_VALUED = new Set(['FORMAT', 'COMPUPDATE', 'STATUPDATE', 'ENCODING', 'IAM_ROLE']);
const WORD_VALUES = new Set([
  'CSV',
  'JSON',
  'AVRO',
  'PARQUET',
  'ORC',
  'FIXEDWIDTH',
  'SHAPEFILE',
  'ON',
  'OFF',
  'TRUE',
  'FALSE',
  'PRESET',
  'UTF8',
  'UTF16',
  'UTF16LE',
  'UTF16BE',
  'DEFAULT',
]);

/** True when the statement is a COPY from S3 that the emulator must run itself. */
export function isCopyFromS3(sql: string): boolean {
  const cursor = new TokenCursor(sql);
  if (!cursor.accept('copy')) return false;
  cursor.readQualifiedName();
  cursor.readNameList();
  if (!cursor.accept('from')) return false;
  const source = cursor.peek();
  return source?.kind === 'string' && /^s3:\/\//i.test(stringValue(source));
}

export function parseCopyCommand(sql: string): CopyCommand {
  const cursor = new TokenCursor(sql);
  if (!cursor.accept('copy')) throw new CopySyntaxError('not a COPY statement');
  const table = cursor.readQualifiedName();
  if (!table) throw syntaxErrorAt(cursor);
  const columns = cursor.readNameList();
  if (!cursor.accept('from')) throw syntaxErrorAt(cursor);
  const sourceToken = cursor.next();
  if (sourceToken?.kind !== 'string') throw new CopySyntaxError("COPY needs FROM 's3://bucket/key'");
  const source = stringValue(sourceToken);

  // Every option is `KEYWORD [AS] [value]`; QUOTE, which belongs to CSV, is read as one too.
  const options = new Map<string, string | true>();
  while (!cursor.atEnd && !cursor.isPunct(';')) {
    const token = cursor.next()!;
    if (token.kind !== 'word') throw new CopySyntaxError(`syntax error at or near "${token.text}"`);
    const name = token.text.toUpperCase();
    cursor.accept('as');
    options.set(name, readValue(cursor, name));
  }
  return { table, columns, source, options };
}

function readValue(cursor: TokenCursor, name: string): string | true {
  const value = cursor.peek();
  if (!value) return true;
  if (value.kind === 'string') {
    cursor.next();
    return stringValue(value);
  }
  if (value.kind === 'number') {
    cursor.next();
    return value.text;
  }
  if (value.kind === 'word' && WORD_VALUED.has(name) && WORD_VALUES.has(value.text.toUpperCase())) {
    cursor.next();
    return value.text.toUpperCase();
  }
  return true;
}

function syntaxErrorAt(cursor: TokenCursor): CopySyntaxError {
  return new CopySyntaxError(`syntax error at or near "${cursor.peek()?.text ?? 'end of input'}"`);
}
