// `pgshift build`: seeds, models and tests, on sources as already loaded.

import type { Command } from 'commander';
import { registerExecutionCommand } from './execution-command.js';

export function registerBuildCommand(program: Command): void {
  registerExecutionCommand(program, 'build', 'build seeds and models and run their tests, in dependency order (sources as already loaded)');
}
