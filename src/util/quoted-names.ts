// Selector values that name a table with spaces, capitals or dots: a double-quoted part is taken
// literally (`source:app."Order Lines"`, `"my.schema"."x"`; `""` inside quotes is one `"`), as
// SQL quotes identifiers. Shared by `--select` of run (src/graph) and of extract/load.

export interface NamePart {
  readonly text: string;
  /** A quoted part matches exactly; an unquoted one may hold glob wildcards. */
  readonly quoted: boolean;
}

/** Splits at any character in `separators` outside double quotes; quotes are kept. */
export function splitOutsideQuotes(text: string, separators: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    if (!quoted && separators.includes(char)) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts.filter(Boolean);
}

/** `app."Order Lines"` → app, Order Lines (quoted); an unclosed quote runs to the end. */
export function splitDottedName(value: string): NamePart[] {
  return splitOutsideQuotes(value, '.').map((part) =>
    part.startsWith('"') ? { text: part.replace(/^"/, '').replace(/"$/, '').replaceAll('""', '"'), quoted: true } : { text: part, quoted: false },
  );
}

export function hasQuotes(value: string): boolean {
  return value.includes('"');
}

/** `source:"app"."Order Lines"`: a selector for exactly one source table, whatever its name holds. */
export function exactSourceSelector(source: string, table: string): string {
  const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
  return `source:${quote(source)}.${quote(table)}`;
}
