// Ctrl-C / SIGTERM become one AbortSignal that every running extract, load and statement
// watches; a second Ctrl-C quits at once.

import { logger } from '../log/logger.js';

let controller: AbortController | undefined;

export function cancellationSignal(): AbortSignal {
  if (!controller) {
    const current = new AbortController();
    controller = current;
    const cancel = () => {
      if (current.signal.aborted) process.exit(130);
      logger.warn('cancelling: aborting uploads and running statements (Ctrl-C again to quit at once)');
      current.abort();
    };
    process.on('SIGINT', cancel);
    process.on('SIGTERM', cancel);
  }
  return controller.signal;
}
