// Ctrl-C / SIGTERM become one AbortSignal that every running extract, load and statement
// watches. The first also sends a cancel request for every statement on every PostgreSQL
// server and abandons connection attempts in progress; if pgshift has not wound down after a
// short grace period it exits 130 anyway. A second Ctrl-C quits at once.

import { logger } from '../log/logger.js';
import { cancelAllSessions } from '../util/postgres-sessions.js';

/** How long the first Ctrl-C waits for statements to end and results to be written. */
const GRACE_PERIOD_MS = 5_000;

let controller: AbortController | undefined;

export function cancellationSignal(): AbortSignal {
  if (!controller) {
    const current = new AbortController();
    controller = current;
    const cancel = () => {
      if (current.signal.aborted) process.exit(130);
      logger.warn('cancelling: aborting uploads and running statements (Ctrl-C again to quit at once)');
      current.abort();
      void cancelAllSessions(GRACE_PERIOD_MS);
      // Unreferenced: a run that winds down sooner exits with its own code, never waiting here.
      setTimeout(() => {
        logger.warn(`still winding down ${GRACE_PERIOD_MS / 1000}s after Ctrl-C; quitting`);
        process.exit(130);
      }, GRACE_PERIOD_MS).unref();
    };
    process.on('SIGINT', cancel);
    process.on('SIGTERM', cancel);
  }
  return controller.signal;
}
