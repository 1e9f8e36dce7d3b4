// A usage error (unknown flag or command, missing value) as one line with a hint, instead of
// commander's full help: `error: unknown option '--thredz' (did you mean --threads?) — see
// 'pgshift run --help'`.

import type { Command } from 'commander';

/** Gives `command` and every subcommand the one-line usage error. Call after registering them. */
export function useOneLineUsageErrors(command: Command): void {
  command.showHelpAfterError(false).configureOutput({
    outputError: (text, write) => write(`${oneLine(text)} — see '${commandPath(command)} --help'\n`),
  });
  for (const subcommand of command.commands) useOneLineUsageErrors(subcommand);
}

/** commander writes the suggestion on a line of its own: `(Did you mean --threads?)`. */
export function oneLine(text: string): string {
  return text
    .trim()
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join(' ')
    .replace('(Did you mean', '(did you mean');
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let current: Command | null = command; current; current = current.parent) names.unshift(current.name());
  return names.join(' ');
}
