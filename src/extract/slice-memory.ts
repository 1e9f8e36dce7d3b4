// The memory a table read in ranges may use. Each range streams COPY → gzip → one S3 multipart
// upload at a time; lib-storage buffers up to `queueSize` parts of `uploadPartSizeBytes` each
// (S3's smallest part is 5 MB), which dominates what a range holds. With N ranges at once the
// total is N × per range, so the queue per range shrinks with N to keep the sum within budget.

import type { StagingSettings } from '../config/project.js';

/**
 * Each range's queue of COPY data before it pushes back on the source: with 8 ranges, 1 MB each
 * (a single stream's queue) raised peak RSS by some 50 MB in `npm run bench -- extract`.
 */
export const RANGE_STREAM_BUFFER_BYTES = 128 * 1024;

/** Upload buffers of all ranges of one table together: 8 ranges × one 5 MB part fit. */
export const RANGE_UPLOAD_BUDGET_BYTES = 40 * 1024 * 1024;

/** The multipart upload queue of each of `workers` ranges: within the budget, at least 1, at most the configured one. */
export function rangeUploadQueueSize(staging: Pick<StagingSettings, 'uploadPartSizeBytes' | 'uploadQueueSize'>, workers: number): number {
  const fits = Math.floor(RANGE_UPLOAD_BUDGET_BYTES / (Math.max(1, workers) * staging.uploadPartSizeBytes));
  return Math.max(1, Math.min(staging.uploadQueueSize, fits));
}
