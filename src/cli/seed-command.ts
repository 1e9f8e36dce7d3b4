// `pgshift seed`: the CSV files of seeds/ loaded into the warehouse.

import type { Command } from 'commander';
import { registerExecutionCommand } from './execution-command.js';

export function registerSeedCommand(program: Command): void {
  registerExecutionCommand(program, 'seed', 'load the CSV files in seeds/ into the warehouse');
}
