// The two documents that complete a batch: manifest.json in Redshift's COPY manifest format
// (https://docs.aws.amazon.com/redshift/latest/dg/loading-data-files-using-manifest.html) and
// batch.json, which tells a loader everything else: columns, row count, interval, timings.

import { z } from 'zod';
import type { ValueFinding, ValuePolicy } from './redshift-values.js';
import type { SourceColumn } from './source-column.js';

export interface RedshiftManifest {
  entries: { url: string; mandatory: boolean; meta: { content_length: number } }[];
}

export interface BatchDocument {
  readonly format_version: 1;
  readonly batch_id: string;
  readonly source: string;
  readonly table: string;
  readonly source_relation: { readonly schema: string; readonly name: string };
  readonly mode: 'incremental' | 'full' | 'append';
  readonly primary_key: readonly string[];
  readonly cursor?: { readonly column: string; readonly kind: string };
  readonly interval: { readonly start: string; readonly end: string };
  /** The interval widened by lookback: what the WHERE clause actually read; start null on a table's first extract (every row before end). */
  readonly window?: { readonly start: string | null; readonly end: string };
  readonly columns: readonly SourceColumn[];
  /** Values Redshift cannot hold, and what the table's value_policy did with them (Redshift targets). */
  readonly value_checks?: { readonly policy: ValuePolicy; readonly findings: readonly ValueFinding[] };
  /** Longest value in bytes per text-like column, to size the raw table's VARCHARs (Redshift targets). */
  readonly text_bytes?: Readonly<Record<string, number>>;
  readonly metadata_columns: { readonly batch_id: string; readonly extracted_at: string; readonly deleted_at?: string };
  /** PostgreSQL COPY CSV with NULL '\N': NULL is an unquoted `\N`, the text `\N` is quoted, '' is an empty field. */
  readonly format: { readonly type: 'csv'; readonly compression: 'gzip'; readonly header: false; readonly null: '\\N' };
  readonly rows: number;
  /** `count(*)` of the window in the same snapshot as the COPY: the source's side of reconciliation. */
  readonly source_rows?: number;
  /**
   * A batch read as ctid block ranges under one snapshot: each range's rows, its own count in the
   * snapshot, and how many of `parts` (in order) it wrote. Absent when the batch was read whole.
   */
  readonly ranges?: readonly {
    readonly index: number;
    readonly start_block: number;
    readonly end_block: number | null;
    readonly rows: number;
    readonly source_rows: number;
    readonly parts: number;
  }[];
  /**
   * `deletes: detect`: every primary key of the table at the same snapshot, as gzipped CSV parts
   * with their own Redshift manifest, for the load to find the rows that vanished.
   */
  readonly keys?: {
    readonly columns: readonly string[];
    readonly rows: number;
    readonly manifest_key: string;
    readonly parts: readonly { readonly key: string; readonly bytes: number }[];
  };
  readonly bytes: { readonly uncompressed: number; readonly compressed: number };
  readonly parts: readonly { readonly key: string; readonly bytes: number }[];
  readonly extracted_at: string;
  /** The source's now() in the extract's transaction: when its snapshot's picture was taken. */
  readonly snapshot_at?: string;
  readonly timing: { readonly started_at: string; readonly finished_at: string; readonly seconds: number };
}

export function redshiftManifest(bucket: string, parts: readonly { key: string; bytes: number }[]): RedshiftManifest {
  return {
    entries: parts.map((part) => ({ url: `s3://${bucket}/${part.key}`, mandatory: true, meta: { content_length: part.bytes } })),
  };
}

// What a loader reads back from S3, checked before use: a batch written by another version, or
// damaged on the way, is refused with the key at fault instead of failing halfway through a load.
const interval = z.looseObject({ start: z.string(), end: z.string() });
const part = z.looseObject({ key: z.string(), bytes: z.number() });

export const redshiftManifestSchema = z.looseObject({
  entries: z.array(z.looseObject({ url: z.string(), mandatory: z.boolean(), meta: z.looseObject({ content_length: z.number() }) })),
});

const sourceColumnSchema = z.looseObject({
  name: z.string(),
  type: z.string(),
  udt: z.string(),
  kind: z.string(),
  category: z.string(),
  baseType: z.string().optional(),
  nullable: z.boolean(),
  builtin: z.boolean(),
});

export const batchDocumentSchema = z.looseObject({
  format_version: z.literal(1),
  batch_id: z.string(),
  source: z.string(),
  table: z.string(),
  source_relation: z.looseObject({ schema: z.string(), name: z.string() }),
  mode: z.enum(['incremental', 'full', 'append']),
  primary_key: z.array(z.string()),
  cursor: z.looseObject({ column: z.string(), kind: z.string() }).optional(),
  interval,
  window: z.looseObject({ start: z.string().nullable(), end: z.string() }).optional(),
  columns: z.array(sourceColumnSchema),
  value_checks: z
    .looseObject({
      policy: z.enum(['fail', 'truncate', 'null']),
      findings: z.array(
        z.looseObject({
          column: z.string(),
          problem: z.enum([
            'text over 65535 bytes',
            'the text \\N',
            'numeric NaN or infinity',
            'numeric beyond 28 integer digits',
            'an infinite or BC date/time',
          ]),
          rows: z.number(),
          example_key: z.string(),
          action: z.enum(['failed', 'set to NULL', 'truncated']),
        }),
      ),
    })
    .optional(),
  text_bytes: z.record(z.string(), z.number()).optional(),
  metadata_columns: z.looseObject({ batch_id: z.string(), extracted_at: z.string(), deleted_at: z.string().optional() }),
  format: z.looseObject({ type: z.literal('csv'), compression: z.literal('gzip'), header: z.literal(false), null: z.literal('\\N') }),
  rows: z.number().int().nonnegative(),
  source_rows: z.number().int().nonnegative().optional(),
  ranges: z
    .array(
      z.looseObject({
        index: z.number().int().nonnegative(),
        start_block: z.number().int().nonnegative(),
        end_block: z.number().int().nonnegative().nullable(),
        rows: z.number().int().nonnegative(),
        source_rows: z.number().int().nonnegative(),
        parts: z.number().int().nonnegative(),
      }),
    )
    .optional(),
  keys: z.looseObject({ columns: z.array(z.string()).min(1), rows: z.number().int().nonnegative(), manifest_key: z.string(), parts: z.array(part) }).optional(),
  bytes: z.looseObject({ uncompressed: z.number(), compressed: z.number() }),
  parts: z.array(part),
  extracted_at: z.string(),
  snapshot_at: z.string().optional(),
  timing: z.looseObject({ started_at: z.string(), finished_at: z.string(), seconds: z.number() }),
});
