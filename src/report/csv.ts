// RFC 4180 CSV: comma-separated, CRLF line ends, a field quoted when it holds a comma, quote,
// CR or LF, quotes doubled. NULL is an empty field and the empty string a quoted one (""), the
// convention PostgreSQL's COPY … CSV uses, so the two stay apart.

export type CsvValue = string | null;

const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(value: CsvValue): string {
  if (value === null) return '';
  if (value === '' || NEEDS_QUOTES.test(value)) return `"${value.replaceAll('"', '""')}"`;
  return value;
}

export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
