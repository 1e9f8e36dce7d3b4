// Names of what a build creates beside a model (`orders__pgshift_tmp`, its indexes, its
// partitions), kept inside the warehouse's identifier limit so they never collide.

import { createHash } from 'node:crypto';
import type { Dialect } from '../../warehouse/warehouse.js';

// PostgreSQL cuts names to 63 bytes (NAMEDATALEN - 1) with only a NOTICE, Redshift to 127 bytes.
// Two long names cut at the limit could become the same name (`…__pgshift_tm` for tmp and
// backup alike), so a name that would not fit is shortened with a hash of the full name instead.
export const MAX_IDENTIFIER_BYTES: Record<Dialect, number> = { postgres: 63, redshift: 127 };

/** `base + suffix`, or a shortened, still unique form of it when that is longer than the limit. */
export function derivedName(dialect: Dialect, base: string, suffix: string): string {
  const max = MAX_IDENTIFIER_BYTES[dialect];
  const full = `${base}${suffix}`;
  if (byteLength(full) <= max) return full;
  const hash = shortHash(full);
  const room = max - byteLength(suffix) - hash.length - 1;
  return `${truncateUtf8(base, Math.max(room, 1))}_${hash}${suffix}`;
}

export const tmpName = (dialect: Dialect, alias: string): string => derivedName(dialect, alias, '__pgshift_tmp');
export const backupName = (dialect: Dialect, alias: string): string => derivedName(dialect, alias, '__pgshift_backup');
/** Rows of an incremental run before they reach the model. */
export const stagingName = (dialect: Dialect, alias: string): string => derivedName(dialect, alias, '__pgshift_incr');
/** A view's new definition, tested before it replaces the model's view. */
export const auditViewName = (dialect: Dialect, alias: string): string => derivedName(dialect, alias, '__pgshift_audit');
/** Rows of a partitioned build, which give the column list and the periods present. */
export const partitionStageName = (dialect: Dialect, alias: string): string => derivedName(dialect, alias, '__pgshift_stage');

/** Eight hex digits of SHA-256: enough to tell apart names that share a long prefix. */
export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** The longest prefix of `text` that fits in `bytes` UTF-8 bytes, never splitting a character. */
function truncateUtf8(text: string, bytes: number): string {
  let out = '';
  for (const char of text) {
    if (byteLength(out + char) > bytes) break;
    out += char;
  }
  return out;
}
