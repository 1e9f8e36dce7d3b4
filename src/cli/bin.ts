// The process entry point: run the command line, and turn any failure into one clear line
// and an exit code.

import '../log/aws-sdk-notice.js';
import { main, reportFailure } from './main.js';

// `pgshift ls | head -1`: the reader left, so there is nobody to write to. Stop quietly with
// the code we have instead of dying on an unhandled EPIPE with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

main().catch(reportFailure);
