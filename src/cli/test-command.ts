// `pgshift test`: the data tests of the selection.

import type { Command } from 'commander';
import { registerExecutionCommand } from './execution-command.js';

export function registerTestCommand(program: Command): void {
  registerExecutionCommand(program, 'test', 'run data tests');
}
