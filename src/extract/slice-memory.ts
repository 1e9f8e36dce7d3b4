// The memory a table read in ranges may use. Its ranges share `staging.range_upload_buffers`
// buffers of `upload_part_size_mb` (S3's smallest multipart part is 5 MiB;
// one-buffer-part-files.ts), and each range queues RANGE_STREAM_BUFFER_BYTES of COPY data before
// it pushes back on the source. With N ranges the total is the buffers + N × (this queue +
// gzip's state), whatever the table's size. With the defaults (2 buffers of 5 MiB), 8 ranges of
// the bench's 4M-row table peaked at 126 MB RSS, 4 buffers at 139 MB.

/**
 * Each range's queue of COPY data before it pushes back on the source: with 8 ranges, 1 MB each
 * (a single stream's queue) raised peak RSS by some 50 MB in `npm run bench -- extract`.
 */
export const RANGE_STREAM_BUFFER_BYTES = 128 * 1024;
