// The one reader of seed CSV (RFC 4180): quoted fields may hold delimiters, doubled quotes and
// line breaks. An empty unquoted field is NULL; a quoted empty field ("") is an empty string, as
// in PostgreSQL's COPY … CSV. Blank lines are skipped. Compilation reads the header with it, the
// seed materialization the rows, so both see the same columns.

export interface CsvRecord {
  /** 1-based line where the record starts, for messages. */
  readonly line: number;
  readonly fields: Array<string | null>;
}

export class CsvSyntaxError extends Error {
  override name = 'CsvSyntaxError';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

export function parseCsv(text: string, delimiter = ','): CsvRecord[] {
  const records: CsvRecord[] = [];
  // A byte-order mark is an editor's artefact, not part of the first column's name.
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let line = 1;
  let at = 0;
  while (at < input.length) {
    const startLine = line;
    if (isLineBreak(input, at)) {
      at += lineBreakLength(input, at);
      line++;
      continue;
    }
    const fields: Array<string | null> = [];
    for (;;) {
      let value: string | null;
      if (input[at] === '"') {
        const fieldLine = line;
        let out = '';
        at++;
        for (;;) {
          if (at >= input.length) throw new CsvSyntaxError(`a quoted field opened on line ${fieldLine} is never closed`, fieldLine);
          const char = input[at]!;
          if (char === '"') {
            if (input[at + 1] === '"') {
              out += '"';
              at += 2;
              continue;
            }
            at++;
            break;
          }
          if (char === '\n') line++;
          out += char;
          at++;
        }
        if (at < input.length && input[at] !== delimiter && !isLineBreak(input, at)) {
          throw new CsvSyntaxError(
            `line ${line}: unexpected ${JSON.stringify(input[at])} after a closing quote (a quote inside a quoted field is written "")`,
            line,
          );
        }
        value = out;
      } else {
        const start = at;
        while (at < input.length && input[at] !== delimiter && !isLineBreak(input, at)) at++;
        const raw = input.slice(start, at);
        value = raw === '' ? null : raw;
      }
      fields.push(value);
      if (at < input.length && input[at] === delimiter) {
        at++;
        continue;
      }
      if (at < input.length) {
        at += lineBreakLength(input, at);
        line++;
      }
      break;
    }
    records.push({ line: startLine, fields });
  }
  return records;
}

/** Column names from a seed's first line, trimmed; a missing name is ''. */
export function parseCsvHeader(line: string, delimiter = ','): string[] {
  const first = parseCsv(line, delimiter)[0];
  return first ? first.fields.map((field) => (field ?? '').trim()) : [''];
}

function isLineBreak(text: string, at: number): boolean {
  return text[at] === '\n' || text[at] === '\r';
}

function lineBreakLength(text: string, at: number): number {
  return text[at] === '\r' && text[at + 1] === '\n' ? 2 : 1;
}
