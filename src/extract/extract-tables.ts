// Extracts several tables of one interval concurrently (up to `threads`), each from its own
// source connection, with live progress; every table's outcome is reported.

import type { S3Client } from '@aws-sdk/client-s3';
import type pg from 'pg';
import type { SourceTable, StagingSettings } from '../config/project.js';
import { logger } from '../log/logger.js';
import { runBounded, type Outcome } from '../util/bounded-parallel.js';
import { ExtractProgress } from './extract-progress.js';
import { extractTableToS3, type ExtractResult } from './extract-table.js';
import type { Interval } from '../batch/interval.js';

export interface ExtractTablesOptions {
  readonly tables: readonly SourceTable[];
  readonly interval: Interval;
  /** One pool per source connection string; tables pick theirs by `connectionEnv`. */
  readonly sourcePoolFor: (table: SourceTable) => pg.Pool;
  readonly s3: S3Client;
  readonly staging: StagingSettings;
  readonly threads: number;
  readonly dryRun?: boolean;
  readonly signal?: AbortSignal;
  readonly progress?: ExtractProgress;
  readonly valueLimits?: 'redshift';
  /** Tables the warehouse holds nothing of: their extract reads every row before the interval's end. */
  readonly fromBeginning?: ReadonlySet<string>;
}

export async function extractTables(options: ExtractTablesOptions): Promise<Outcome<ExtractResult>[]> {
  const progress = options.progress ?? ExtractProgress.forProcess();
  try {
    return await runBounded(options.tables, options.threads, async (table) => {
      try {
        const result = await extractTableToS3(table, options.interval, {
          source: options.sourcePoolFor(table),
          s3: options.s3,
          staging: options.staging,
          dryRun: options.dryRun,
          signal: options.signal,
          onStreaming: (counters) => progress.track(counters),
          valueLimits: options.valueLimits,
          fromBeginning: options.fromBeginning?.has(table.id),
        });
        logger.info(`extracted ${table.id}`, {
          rows: result.rows,
          mb: +(result.bytesIn / 1e6).toFixed(2),
          gz_mb: +(result.bytesOut / 1e6).toFixed(2),
          parts: result.parts,
          slices: result.slices,
          seconds: +result.seconds.toFixed(2),
          manifest: options.dryRun ? undefined : result.manifestUrl,
        });
        return result;
      } finally {
        progress.done(table.id);
      }
    });
  } finally {
    progress.stop();
  }
}
