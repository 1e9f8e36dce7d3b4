// The selection flags dbt users type: several values after one flag (`--select a b`), the legacy
// `-m/--models`, `--resource-type` / `--exclude-resource-type` and `--indirect-selection`.

import { type Command, Option } from 'commander';
import { INDIRECT_SELECTION_MODES, type IndirectSelection, RESOURCE_TYPES } from '../api/graph-options.js';
import { ConfigError } from '../errors.js';
import type { ResourceType } from '../manifest/index.js';
import { didYouMean } from '../util/suggest.js';

/** Values of a variadic flag, accumulated over repeated flags too (`--select a b --select c`). */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function addResourceTypeOptions(command: Command): Command {
  return command
    .option('--resource-type <type...>', `only these resource types (${RESOURCE_TYPES.join(', ')}; several or repeated)`, resourceTypeList('--resource-type'))
    .option('--exclude-resource-type <type...>', 'leave these resource types out', resourceTypeList('--exclude-resource-type'));
}

export function addIndirectSelectionOption(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--indirect-selection <mode>',
        `which tests come with the selected nodes: ${INDIRECT_SELECTION_MODES.join(', ')} (env PGSHIFT_INDIRECT_SELECTION or DBT_INDIRECT_SELECTION; default eager)`,
      ).argParser((value) => parseIndirectSelection(value, '--indirect-selection')),
    )
    .hook('preAction', (cmd) => {
      if (cmd.getOptionValue('indirectSelection') !== undefined) return;
      for (const name of ['PGSHIFT_INDIRECT_SELECTION', 'DBT_INDIRECT_SELECTION']) {
        const value = process.env[name];
        if (value) return void cmd.setOptionValue('indirectSelection', parseIndirectSelection(value, name));
      }
    });
}

/** `-m/--models`, dbt's legacy spelling of --select: its values join --select's. */
export function addModelsAlias(command: Command): Command {
  return command.option('-m, --models <selector...>', "dbt's legacy spelling of --select", collect).hook('preAction', (cmd) => {
    const models = cmd.getOptionValue('models') as string[] | undefined;
    if (models?.length) cmd.setOptionValue('select', [...((cmd.getOptionValue('select') as string[] | undefined) ?? []), ...models]);
  });
}

function resourceTypeList(flag: string) {
  return (value: string, previous: ResourceType[] = []): ResourceType[] => {
    if (!(RESOURCE_TYPES as readonly string[]).includes(value)) {
      throw new ConfigError(`${flag} ${value}: expected one of ${RESOURCE_TYPES.join(', ')}${didYouMean(value, RESOURCE_TYPES)}`);
    }
    return [...previous, value as ResourceType];
  };
}

function parseIndirectSelection(value: string, where: string): IndirectSelection {
  if (!(INDIRECT_SELECTION_MODES as readonly string[]).includes(value)) {
    throw new ConfigError(`${where} ${value}: expected one of ${INDIRECT_SELECTION_MODES.join(', ')}${didYouMean(value, INDIRECT_SELECTION_MODES)}`);
  }
  return value as IndirectSelection;
}
