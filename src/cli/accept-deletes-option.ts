// --accept-deletes: applies, for this run only, detected deletes beyond a table's
// max_delete_ratio (the guard that stops a table when too much of it seems to have vanished).

import type { Command } from 'commander';
import { ACCEPT_DELETES_FLAG } from '../api/accepted-deletes.js';

export function addAcceptDeletesOption(command: Command): Command {
  const collect = (value: string, previous: string[] = []) => [...previous, ...value.split(',').map((id) => id.trim())].filter(Boolean);
  return command.option(
    `${ACCEPT_DELETES_FLAG} <tables>`,
    'apply detected deletes beyond max_delete_ratio for these tables (source.table, comma-separated or repeated; all for every table), this run only',
    collect,
  );
}
