// Finds the quote a YAML text opens and never closes. js-yaml reports such a mistake where its
// scanner gave up (the next less-indented line, or the end of the file), often far below the
// typo; a quoted scalar may legally span lines, so only a scan from the top knows where it began.

export interface OpenQuote {
  /** 1-based line of the opening quote. */
  readonly line: number;
  readonly quote: '"' | "'";
}

/**
 * The quoted scalar still open at (`line`, `column`), both 1-based, if any. Comments, plain
 * scalars (`it's`) and block scalars (`|`, `>`) are read as YAML reads them, so their quotes
 * open nothing.
 */
export function openQuoteAt(text: string, line: number, column: number): OpenQuote | undefined {
  const lines = text.split(/\r?\n/);
  let open: OpenQuote | undefined;
  let blockIndent: number | undefined;
  for (let index = 0; index < lines.length && index < line; index++) {
    const content = lines[index]!;
    const end = index === line - 1 ? column - 1 : content.length;
    const indent = content.length - content.trimStart().length;
    if (open === undefined && blockIndent !== undefined) {
      if (content.trim() === '' || indent > blockIndent) continue;
      blockIndent = undefined;
    }
    let valueStart = open === undefined;
    for (let at = open === undefined ? indent : 0; at < end; at++) {
      const char = content[at]!;
      if (open) {
        if (open.quote === '"' && char === '\\') at++;
        else if (open.quote === "'" && char === "'" && content[at + 1] === "'") at++;
        else if (char === open.quote) {
          open = undefined;
          valueStart = false;
        }
        continue;
      }
      const next = content[at + 1];
      const spaceAfter = next === undefined || next === ' ' || next === '\t';
      if (char === ' ' || char === '\t') continue;
      if (char === '#' && (at === 0 || content[at - 1] === ' ' || content[at - 1] === '\t')) break;
      if ((char === '"' || char === "'") && valueStart) {
        open = { line: index + 1, quote: char };
        continue;
      }
      if ((char === '|' || char === '>') && valueStart) {
        blockIndent = indent;
        break;
      }
      valueStart = ((char === '-' || char === '?' || char === ':') && spaceAfter) || char === '[' || char === '{' || char === ',';
    }
  }
  return open;
}
