// `pgshift run`: sources (extract + load), seeds, models and tests of the selection, in
// dependency order, then grants and the report.

import type { Command } from 'commander';
import { registerExecutionCommand } from './execution-command.js';

export function registerRunCommand(program: Command): void {
  registerExecutionCommand(program, 'run', 'extract and load the selected sources, then build seeds and models and run their tests, in dependency order');
}
