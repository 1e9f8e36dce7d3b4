// Splits rendered SQL into its statements at the semicolons that end them, so a hook that
// renders several (`{% for s in schemas %}grant usage on schema {{ s }} to …;{% endfor %}`)
// runs on a warehouse that takes one statement per call. Semicolons inside quotes ('…', "…"),
// dollar quotes ($$…$$, $tag$…$tag$) and comments (-- …, /* … */) do not end a statement.

export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let i = 0;
  while (i < sql.length) {
    const char = sql[i]!;
    const next = sql[i + 1];
    if (char === "'" || char === '"') i = closingQuote(sql, i, char);
    else if (char === '-' && next === '-') i = endOf(sql, '\n', i + 2);
    else if (char === '/' && next === '*') i = endOf(sql, '*/', i + 2);
    else if (char === '$') i = closingDollarQuote(sql, i);
    else {
      if (char === ';') {
        statements.push(sql.slice(start, i));
        start = i + 1;
      }
      i += 1;
    }
  }
  statements.push(sql.slice(start));
  return statements.map((statement) => statement.trim()).filter((statement) => !isBlank(statement));
}

/** Past the quote that closes the one at `open`; a doubled quote is part of the text. */
function closingQuote(sql: string, open: number, quote: string): number {
  let i = open + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] !== quote) return i + 1;
      i += 2;
    } else i += 1;
  }
  return sql.length;
}

function endOf(sql: string, marker: string, from: number): number {
  const at = sql.indexOf(marker, from);
  return at < 0 ? sql.length : at + marker.length;
}

/** `$tag$ … $tag$` (PostgreSQL's dollar quoting); a `$` that opens none (`$1`) is one character. */
function closingDollarQuote(sql: string, open: number): number {
  const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(open));
  if (!tag) return open + 1;
  return endOf(sql, tag[0], open + tag[0].length);
}

/** Only whitespace and comments: nothing to run. */
function isBlank(statement: string): boolean {
  return (
    statement
      .replace(/--[^\n]*/g, '')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .trim() === ''
  );
}
