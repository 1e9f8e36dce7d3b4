// The memory a table read in ranges may use. Each range streams COPY → gzip → one S3 upload at
// a time, through one reused buffer of `upload_part_size_mb` (S3's smallest multipart part is
// 5 MiB; one-buffer-part-files.ts), and queues RANGE_STREAM_BUFFER_BYTES of COPY data before it
// pushes back on the source. With N ranges the total is N × (one upload buffer + this queue +
// gzip's state), whatever the table's size.

/**
 * Each range's queue of COPY data before it pushes back on the source: with 8 ranges, 1 MB each
 * (a single stream's queue) raised peak RSS by some 50 MB in `npm run bench -- extract`.
 */
export const RANGE_STREAM_BUFFER_BYTES = 128 * 1024;
