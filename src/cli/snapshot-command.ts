// `pgshift snapshot`: the snapshots of snapshots/ record what changed in their queries.

import type { Command } from 'commander';
import { registerExecutionCommand } from './execution-command.js';

export function registerSnapshotCommand(program: Command): void {
  registerExecutionCommand(program, 'snapshot', 'record the changes of each snapshot query in its history table (SCD type 2)');
}
