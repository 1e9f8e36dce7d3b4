// The Redshift COPY that loads one batch's gzipped CSV parts through its manifest, with every
// option chosen for the files `COPY … TO STDOUT WITH (FORMAT csv, NULL '\N')` writes
// (batch-manifest.ts), and the literal quoting that SQL needs.
//
// The emulator in test/support runs this SQL on PostgreSQL, so it proves the statement's shape,
// not Redshift's reading of the options: each option below cites the AWS page it relies on.

import { WarehouseError } from '../errors.js';
import { quoteIdent, quoteLiteral } from '../sql/quote-ident.js';

export interface CopySettings {
  /** ARN of the role the cluster assumes to read the bucket (an identifier, not a secret). */
  readonly iamRole: string;
  /** Only when the bucket lives in another region than the cluster. */
  readonly region?: string;
}

/** `COPY <relation> (<columns>) FROM 's3://…manifest.json' …`; `relation` is already quoted. */
export function copyFromManifestSql(relation: string, columns: readonly string[], manifestUrl: string, settings: CopySettings): string {
  const options = [
    // The role the cluster assumes to read the staging bucket; no keys ever appear in the SQL.
    // The syntax is IAM_ROLE { default | 'arn:…' }: `default` is a keyword (the cluster's default
    // role), not a string, so it goes unquoted; an ARN is a quoted literal.
    // https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-authorization.html
    `iam_role ${settings.iamRole.trim().toLowerCase() === 'default' ? 'default' : redshiftLiteral(settings.iamRole, 'iam_role')}`,
    // FROM names manifest.json, which lists every part with "mandatory": true: a missing part
    // fails the COPY instead of loading part of a batch, and nothing else under the prefix is read.
    // https://docs.aws.amazon.com/redshift/latest/dg/loading-data-files-using-manifest.html
    // https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-source-s3.html
    'manifest',
    // CSV: a quoted field may hold delimiters, newlines and carriage returns, and "" inside it is
    // one quote: PostgreSQL's CSV output exactly. CSV cannot be combined with ESCAPE, so a
    // backslash in a value (C:\path, bytea's \x00ff) is an ordinary character.
    // https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-format.html#copy-csv
    'format as csv',
    // https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-file-compression.html
    'gzip',
    // No TIMEFORMAT/DATEFORMAT: the defaults are the documented forms the extract writes.
    // DATE 'YYYY-MM-DD' (PostgreSQL's ISO output), TIMESTAMP 'YYYY-MM-DD HH:MI:SS' with up to six
    // fractional digits (PostgreSQL's output under DateStyle ISO), and TIMESTAMPTZ
    // 'YYYY-MM-DD HH:MI:SSOF', which the extract spells as UTC with '+00:00'. 'auto' is avoided:
    // its documented formats do not list fractional seconds together with an offset.
    // https://docs.aws.amazon.com/redshift/latest/dg/r_DATEFORMAT_and_TIMEFORMAT_strings.html
    // https://docs.aws.amazon.com/redshift/latest/dg/automatic-recognition.html
    // ROUNDEC: a value with more decimals than the column's scale is rounded, as the README
    // says; without it COPY truncates (numeric without precision maps to numeric(38,10)).
    // https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-conversion.html#copy-roundec
    'roundec',
    // Without COMPUPDATE OFF, a COPY into an empty table (every full replace, every first load)
    // first picks column encodings. Raw tables keep the encodings CREATE TABLE gave them (ENCODE
    // AUTO lets Redshift tune them later), and a small daily load stays a plain write.
    // https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-load.html#copy-compupdate
    'compupdate off',
    // Statistics would otherwise be recomputed inside the load transaction whenever the table
    // starts empty; Redshift's automatic analyze refreshes them for the models that read it.
    // https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-load.html#copy-statupdate
    'statupdate off',
  ];
  // Deliberately absent: NULL AS and EMPTYASNULL. The extract writes NULL as an unquoted \N
  // (COPY … WITH (FORMAT csv, NULL '\N')), an empty string as an empty field and a text that is
  // exactly \N as "\N". Redshift's default null_string is '\N', so fields that match it load as
  // NULL; spelling it out would put a backslash in a string literal, which Redshift reads as an
  // escape and PostgreSQL does not. Without EMPTYASNULL an empty field loads into CHAR/VARCHAR as
  // '' (other types would load it as NULL, but PostgreSQL writes an empty field only for '').
  // The docs do not say whether a quoted "\N" escapes the null_string match; loading it as the
  // text \N assumes Redshift compares the field after removing the quotes only when unquoted,
  // as PostgreSQL does. The emulator makes the same assumption, so only Redshift can prove it.
  // https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-conversion.html#copy-null-as
  // https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-conversion.html#copy-emptyasnull
  // Also absent: ACCEPTINVCHARS (PostgreSQL writes valid UTF-8 only, VARCHAR takes
  // 4-byte UTF-8 such as emoji, and an invalid byte should fail the load rather than become '?':
  // https://docs.aws.amazon.com/redshift/latest/dg/multi-byte-character-load-errors.html),
  // MAXERROR (its default 0 fails on the first bad row), and BLANKSASNULL, TRIMBLANKS and
  // TRUNCATECOLUMNS, which would change values instead of loading them.
  if (settings.region) {
    // https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-source-s3.html#copy-region
    options.push(`region ${redshiftLiteral(settings.region, 'region')}`);
  }
  return `copy ${relation} (${columns.map(quoteIdent).join(', ')}) from ${redshiftLiteral(manifestUrl, 'manifest URL')}\n${options.join('\n')}`;
}

/**
 * A string literal that reads the same in Redshift and in PostgreSQL. Redshift treats a backslash
 * in an ordinary literal as an escape (PostgreSQL 8 behaviour, standard_conforming_strings off)
 * while PostgreSQL does not, so no single spelling means the same in both: such values are
 * refused here rather than loaded under a different name.
 */
export function redshiftLiteral(value: string, what: string): string {
  if (value.includes('\\')) {
    throw new WarehouseError(`${what} ${JSON.stringify(value)} contains a backslash, which Redshift reads as an escape inside a string literal; rename it`, {
      value,
    });
  }
  return quoteLiteral(value);
}
