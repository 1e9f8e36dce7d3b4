// What ALTER TABLE … ALTER COLUMN needs first on Redshift, shared by raw-table drift and models.

import { quoteIdent } from '../sql/quote-ident.js';

/**
 * Redshift refuses to widen a VARCHAR encoded BYTEDICT, RUNLENGTH, TEXT255 or TEXT32K, and ENCODE
 * AUTO may have picked one; such a column, or one the catalog reports as AUTO, is first re-encoded
 * as ZSTD (ALTER COLUMN … ENCODE).
 * https://docs.aws.amazon.com/redshift/latest/dg/r_ALTER_TABLE.html
 */
export function reencodeBeforeWidening(relation: string, column: string, encoding: string | undefined): string[] {
  return encoding && NOT_WIDENABLE_ENCODINGS.has(encoding.toLowerCase()) ? [`alter table ${relation} alter column ${quoteIdent(column)} encode zstd`] : [];
}

const NOT_WIDENABLE_ENCODINGS = new Set(['bytedict', 'runlength', 'text255', 'text32k', 'auto']);
