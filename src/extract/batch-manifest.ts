// The two documents that complete a batch: manifest.json in Redshift's COPY manifest format
// (https://docs.aws.amazon.com/redshift/latest/dg/loading-data-files-using-manifest.html) and
// batch.json, which tells a loader everything else: columns, row count, interval, timings.

import type { ValueFinding, ValuePolicy } from './redshift-value-checks.js';
import type { SourceColumn } from './source-introspection.js';

export interface RedshiftManifest {
  entries: { url: string; mandatory: boolean; meta: { content_length: number } }[];
}

export interface BatchDocument {
  readonly format_version: 1;
  readonly batch_id: string;
  readonly source: string;
  readonly table: string;
  readonly source_relation: { readonly schema: string; readonly name: string };
  readonly mode: 'incremental' | 'full';
  readonly primary_key: readonly string[];
  readonly cursor?: { readonly column: string; readonly kind: string };
  readonly interval: { readonly start: string; readonly end: string };
  /** The interval widened by lookback: what the WHERE clause actually read. */
  readonly window?: { readonly start: string; readonly end: string };
  readonly columns: readonly SourceColumn[];
  /** Values Redshift cannot hold, and what the table's value_policy did with them (Redshift targets). */
  readonly value_checks?: { readonly policy: ValuePolicy; readonly findings: readonly ValueFinding[] };
  /** Longest value in bytes per text-like column, to size the raw table's VARCHARs (Redshift targets). */
  readonly text_bytes?: Readonly<Record<string, number>>;
  readonly metadata_columns: { readonly batch_id: string; readonly extracted_at: string };
  /** PostgreSQL COPY CSV with NULL '\N': NULL is an unquoted `\N`, the text `\N` is quoted, '' is an empty field. */
  readonly format: { readonly type: 'csv'; readonly compression: 'gzip'; readonly header: false; readonly null: '\\N' };
  readonly rows: number;
  readonly bytes: { readonly uncompressed: number; readonly compressed: number };
  readonly parts: readonly { readonly key: string; readonly bytes: number }[];
  readonly extracted_at: string;
  readonly timing: { readonly started_at: string; readonly finished_at: string; readonly seconds: number };
}

export function redshiftManifest(bucket: string, parts: readonly { key: string; bytes: number }[]): RedshiftManifest {
  return {
    entries: parts.map((part) => ({ url: `s3://${bucket}/${part.key}`, mandatory: true, meta: { content_length: part.bytes } })),
  };
}
