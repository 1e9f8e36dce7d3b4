// Decides what a parsed Redshift COPY asks for: which options the emulator honours, which it
// accepts as no-ops (they tune Redshift, not the loaded data), and which make it refuse.

import type { CopyCommand } from './copy-command.js';

export interface CsvLoadSpec {
  manifest: boolean;
  gzip: boolean;
  delimiter: string;
  quote: string;
  /** Redshift's NULL AS string; its default is the two characters \N. */
  nullString: string;
  emptyAsNull: boolean;
  blanksAsNull: boolean;
  ignoreHeader: number;
  ignoreBlankLines: boolean;
  fillRecord: boolean;
  truncateColumns: boolean;
  trimBlanks: boolean;
  explicitIds: boolean;
  /** ROUNDEC: round decimals past a column's scale instead of truncating them. */
  roundDec: boolean;
  /** Replacement for invalid UTF-8 when ACCEPTINVCHARS is given. */
  acceptInvChars?: string;
}

export class UnsupportedCopyError extends Error {
  override name = 'UnsupportedCopyError';
}

const HONOURED = new Set([
  'CSV',
  'FORMAT',
  'QUOTE',
  'DELIMITER',
  'GZIP',
  'MANIFEST',
  'NULL',
  'EMPTYASNULL',
  'BLANKSASNULL',
  'IGNOREHEADER',
  'IGNOREBLANKLINES',
  'FILLRECORD',
  'TRUNCATECOLUMNS',
  'TRIMBLANKS',
  'EXPLICIT_IDS',
  'ACCEPTINVCHARS',
  'DATEFORMAT',
  'TIMEFORMAT',
  'ROUNDEC',
]);
// Authorization, statistics, compression analysis, error budget and region: they change how
// Redshift runs the load, not which rows land. MAXERROR is accepted, but the emulator stops at
// the first bad row as if it were 0.
const ACCEPTED_AND_IGNORED = new Set([
  'IAM_ROLE',
  'CREDENTIALS',
  'ACCESS_KEY_ID',
  'SECRET_ACCESS_KEY',
  'SESSION_TOKEN',
  'REGION',
  'COMPUPDATE',
  'STATUPDATE',
  'COMPROWS',
  'MAXERROR',
  'ACCEPTANYDATE',
  'ENCODING',
]);
// The defaults Redshift applies anyway, which PostgreSQL's ISO input parsing also reads.
const DEFAULT_DATEFORMATS = new Set(['auto', 'YYYY-MM-DD']);
const DEFAULT_TIMEFORMATS = new Set(['auto', 'YYYY-MM-DD HH:MI:SS']);

export function csvLoadSpec(command: CopyCommand): CsvLoadSpec {
  const { options } = command;
  for (const name of options.keys()) {
    if (!HONOURED.has(name) && !ACCEPTED_AND_IGNORED.has(name)) {
      throw new UnsupportedCopyError(`COPY option ${name} is not supported by the Redshift emulator`);
    }
  }
  if (!options.has('IAM_ROLE') && !options.has('CREDENTIALS') && !options.has('ACCESS_KEY_ID')) {
    // Redshift refuses a COPY from S3 that names no way to authorize it.
    throw new UnsupportedCopyError('Missing required authorization for COPY: give IAM_ROLE, CREDENTIALS or ACCESS_KEY_ID');
  }
  const format = options.get('FORMAT');
  if (!(options.get('CSV') === true || format === 'CSV')) {
    throw new UnsupportedCopyError(`the Redshift emulator loads only CSV; COPY asked for ${typeof format === 'string' ? format : 'pipe-delimited text'}`);
  }
  for (const compression of ['BZIP2', 'LZOP', 'ZSTD']) {
    if (options.has(compression)) throw new UnsupportedCopyError(`${compression} files are not supported by the Redshift emulator`);
  }
  const dateFormat = stringOption(command, 'DATEFORMAT');
  if (dateFormat !== undefined && !DEFAULT_DATEFORMATS.has(dateFormat)) {
    throw new UnsupportedCopyError(`DATEFORMAT '${dateFormat}' is not supported by the Redshift emulator`);
  }
  const timeFormat = stringOption(command, 'TIMEFORMAT');
  if (timeFormat !== undefined && !DEFAULT_TIMEFORMATS.has(timeFormat)) {
    throw new UnsupportedCopyError(`TIMEFORMAT '${timeFormat}' is not supported by the Redshift emulator`);
  }
  const delimiter = singleCharacter(command, 'DELIMITER') ?? ',';
  const quote = singleCharacter(command, 'QUOTE') ?? '"';
  const acceptInvChars = options.get('ACCEPTINVCHARS');
  return {
    manifest: options.has('MANIFEST'),
    gzip: options.has('GZIP'),
    delimiter,
    quote,
    nullString: stringOption(command, 'NULL') ?? '\\N',
    emptyAsNull: options.has('EMPTYASNULL'),
    blanksAsNull: options.has('BLANKSASNULL'),
    ignoreHeader: Number(stringOption(command, 'IGNOREHEADER') ?? 0),
    ignoreBlankLines: options.has('IGNOREBLANKLINES'),
    fillRecord: options.has('FILLRECORD'),
    truncateColumns: options.has('TRUNCATECOLUMNS'),
    trimBlanks: options.has('TRIMBLANKS'),
    explicitIds: options.has('EXPLICIT_IDS'),
    roundDec: options.has('ROUNDEC'),
    acceptInvChars: acceptInvChars === undefined ? undefined : acceptInvChars === true ? '?' : acceptInvChars,
  };
}

function stringOption(command: CopyCommand, name: string): string | undefined {
  const value = command.options.get(name);
  if (value === true) throw new UnsupportedCopyError(`COPY option ${name} needs a value`);
  return value;
}

function singleCharacter(command: CopyCommand, name: string): string | undefined {
  const raw = stringOption(command, name);
  // Redshift reads DELIMITER '\t' as a tab even in a standard string literal.
  const value = raw === '\\t' ? '\t' : raw;
  if (value !== undefined && value.length !== 1) throw new UnsupportedCopyError(`COPY ${name} must be a single character, got '${value}'`);
  return value;
}
