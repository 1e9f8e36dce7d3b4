// A strict RFC 4180 reader for the tests, written apart from the report's writer so that a
// bug in one is not mirrored by the other. An unquoted empty field reads as NULL, a quoted
// one as the empty string.

export function parseCsv(text: string): (string | null)[][] {
  const rows: (string | null)[][] = [];
  let row: (string | null)[] = [];
  let i = 0;
  while (i < text.length) {
    let field: string | null;
    if (text[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
      field = value;
    } else {
      let end = i;
      while (end < text.length && text[end] !== ',' && text[end] !== '\r' && text[end] !== '\n') {
        if (text[end] === '"') throw new Error(`bare quote in an unquoted field at offset ${end}`);
        end++;
      }
      field = end === i ? null : text.slice(i, end);
      i = end;
    }
    row.push(field);
    if (text[i] === ',') {
      i++;
    } else if (text.startsWith('\r\n', i)) {
      rows.push(row);
      row = [];
      i += 2;
    } else if (i < text.length) {
      throw new Error(`expected a comma or CRLF at offset ${i}, got ${JSON.stringify(text[i])}`);
    }
  }
  if (row.length > 0) throw new Error('the last line does not end with CRLF');
  return rows;
}

/** CSV text → objects keyed by the header. */
export function parseCsvRecords(text: string): Record<string, string | null>[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new Error('no header line');
  return rows.map((row) => Object.fromEntries(header.map((name, index) => [name!, row[index] ?? null])));
}
