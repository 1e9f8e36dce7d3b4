// --lock-timeout: how long a command that writes to the warehouse waits for another run on the
// same target to finish before it gives up (0: do not wait).

import type { Command } from 'commander';
import { parseDuration } from '../config/duration.js';
import { ConfigError } from '../errors.js';

export function addLockTimeoutOption(command: Command): Command {
  return command.option(
    '--lock-timeout <duration>',
    'wait at most this long for another run on the same target, e.g. 30s, 10m (0: do not wait; default 10m)',
    parseLockTimeout,
  );
}

/** Milliseconds of `--lock-timeout`. */
export function parseLockTimeout(value: string): number {
  if (value.trim() === '0') return 0;
  const ms = parseDuration(value);
  if (ms === undefined) throw new ConfigError(`--lock-timeout ${value}: expected a duration such as 30s, 10m or 1h, or 0 not to wait`);
  return ms;
}
