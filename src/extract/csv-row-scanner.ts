// Finds where CSV rows end in a byte stream that arrives in arbitrary chunks (COPY's wire
// messages are split wherever the socket split them). A row ends at a newline outside quotes;
// `""` inside quotes toggles twice and so needs no special case. Uses Buffer.indexOf (memchr)
// rather than a byte loop because this sits on the hot path of every extract.

const QUOTE = 0x22;
const NEWLINE = 0x0a;

export class CsvRowScanner {
  private inQuotes = false;
  /** Rows completed so far. */
  rows = 0;

  /**
   * Scans `chunk`; calls `onRowEnd(offset)` with the offset just past each row's newline.
   * Returning true from the callback stops the scan (the caller splits the chunk there) and the
   * scanner resumes from that offset on the next call with the remainder.
   */
  scan(chunk: Buffer, onRowEnd?: (offset: number) => boolean): number | undefined {
    let position = 0;
    // Cached positions of the next quote/newline; -1 = none left in this chunk, -2 = not searched.
    let quoteAt = -2;
    let newlineAt = -2;
    const nextQuote = (): number => {
      if (quoteAt !== -1 && quoteAt < position) quoteAt = chunk.indexOf(QUOTE, position);
      return quoteAt;
    };
    const nextNewline = (): number => {
      if (newlineAt !== -1 && newlineAt < position) newlineAt = chunk.indexOf(NEWLINE, position);
      return newlineAt;
    };
    while (position < chunk.length) {
      if (this.inQuotes) {
        const quote = nextQuote();
        if (quote < 0) return undefined;
        this.inQuotes = false;
        position = quote + 1;
        continue;
      }
      const newline = nextNewline();
      const quote = nextQuote();
      if (newline < 0 && quote < 0) return undefined;
      if (newline >= 0 && (quote < 0 || newline < quote)) {
        this.rows += 1;
        position = newline + 1;
        if (onRowEnd?.(position)) return position;
        continue;
      }
      this.inQuotes = true;
      position = quote + 1;
    }
    return undefined;
  }
}
