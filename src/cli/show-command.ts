// `pgshift show`: dbt's preview of one node's rows, or of an --inline query
// (https://docs.getdbt.com/reference/commands/show).

import { type Command, Option } from 'commander';
import { parseCliVars } from '../api/graph-options.js';
import type { GlobalOptions } from '../api/runtime.js';
import { ConfigError } from '../errors.js';
import { cancellationSignal } from './cancellation.js';
import { addIntervalOptions, addSelectionOptions } from './interval-options.js';
import { addModelsAlias } from './selection-flags.js';
import { previewJson, previewText } from './preview-table.js';

interface ShowFlags {
  select: string[];
  exclude: string[];
  inline?: string;
  limit: number;
  output: 'text' | 'json';
  vars?: Record<string, unknown>;
  targetPath?: string;
}

export function registerShowCommand(program: Command): void {
  const command = addModelsAlias(
    addSelectionOptions(
      program.command('show').description('compile one model, seed, snapshot or test (or --inline SQL), run it with a limit and print its rows'),
    ),
  )
    .option('--inline <sql>', 'a query to preview instead of a node; ref(), source() and macros work in it')
    .option('--limit <n>', 'rows to fetch and print (-1: all)', parseLimit, 5)
    .addOption(new Option('--output <format>', 'text (a table) or json').choices(['text', 'json']).default('text'))
    .option('--vars <yaml-or-json>', "variables for var(), e.g. '{country: DE}'", parseCliVars)
    .option('--target-path <dir>', 'where manifest.json goes', 'target');
  addIntervalOptions(command).action(async (options: ShowFlags, cmd: Command) => {
    const { showNode } = await import('../api/show-node.js');
    const preview = await showNode(cmd.optsWithGlobals<GlobalOptions>(), { ...options, signal: cancellationSignal() });
    process.stdout.write(options.output === 'json' ? previewJson(preview) : previewText(preview));
  });
}

function parseLimit(value: string): number {
  const limit = Number(value);
  if (!Number.isInteger(limit)) throw new ConfigError(`--limit ${value}: expected a whole number of rows (-1 for all)`);
  return limit;
}
