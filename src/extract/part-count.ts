// How many part files a batch split in ranges gets. AWS's COPY guidance: "Split your data into
// files so that the number of files is a multiple of the number of slices in your cluster"
// (https://docs.aws.amazon.com/redshift/latest/dg/t_splitting-data-files.html), "about equal
// size, between 1 MB and 1 GB after compression"
// (https://docs.aws.amazon.com/redshift/latest/dg/queries-troubleshooting-load-takes-too-long.html).
// Each range of a split batch becomes one part, so the range count is the part count.

export const MIN_PART_BYTES = 1024 * 1024;
export const MAX_PART_BYTES = 1024 * 1024 * 1024;

export interface PartCountInput {
  /** The batch's expected compressed size (slice-plan.ts estimates it from the table's size). */
  readonly estimatedBytes: number;
  /** The warehouse cluster's slice count (staging.warehouse_slices). */
  readonly warehouseSlices: number;
  /** The part size aimed at (staging.part_size_mb), kept within 1 MB–1 GB. */
  readonly targetPartBytes: number;
  /** Ranges wanted at least, for parallel reading (the slice count). */
  readonly atLeast?: number;
}

/**
 * A multiple of the warehouse's slices whose parts are about `targetPartBytes`, and at least
 * `atLeast` while every part stays ≥ 1 MB; 1 when even one part per warehouse slice would fall
 * under 1 MB: a small table stays one file.
 */
export function partCount({ estimatedBytes, warehouseSlices, targetPartBytes, atLeast = 1 }: PartCountInput): number {
  const slices = Math.max(1, Math.floor(warehouseSlices));
  if (estimatedBytes < slices * MIN_PART_BYTES) return 1;
  const target = Math.min(MAX_PART_BYTES, Math.max(MIN_PART_BYTES, targetPartBytes));
  // Multiples of the slice count that keep parts within the limits.
  const most = Math.max(1, Math.floor(estimatedBytes / (slices * MIN_PART_BYTES)));
  const fewest = Math.max(1, Math.ceil(estimatedBytes / (slices * MAX_PART_BYTES)));
  let multiple = Math.max(fewest, Math.round(estimatedBytes / (slices * target)));
  multiple = Math.max(multiple, Math.ceil(atLeast / slices));
  return Math.min(Math.max(multiple, fewest), Math.max(most, fewest)) * slices;
}
