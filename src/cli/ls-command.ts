// `pgshift ls`: the nodes a selection picks, one per line (names, or JSON lines).

import type { Command } from 'commander';
import type { GlobalOptions } from '../api/runtime.js';
import { ConfigError } from '../errors.js';
import { addGraphOptions, addResourceTypeOptions, type GraphOptions } from './graph-options.js';

export function registerLsCommand(program: Command): void {
  addResourceTypeOptions(addGraphOptions(program.command('ls').alias('list').description('list the nodes a selection picks'), { execution: false }))
    .option('--output <format>', 'plain (names) or json', 'plain')
    .action(async (options: GraphOptions & { output: string }, cmd: Command) => {
      if (!['plain', 'json'].includes(options.output)) throw new ConfigError(`--output ${options.output}: expected plain or json`);
      const { listNodes } = await import('../api/list-nodes.js');
      const nodes = await listNodes(cmd.optsWithGlobals<GlobalOptions>(), options);
      const lines: string[] = [];
      for (const node of nodes) {
        const line =
          options.output === 'json'
            ? JSON.stringify({
                unique_id: node.unique_id,
                name: node.name,
                resource_type: node.resource_type,
                original_file_path: node.original_file_path,
                depends_on: node.depends_on.nodes,
              })
            : node.resource_type === 'source'
              ? `source:${node.unique_id.slice('source.'.length)}`
              : node.resource_type === 'exposure'
                ? `exposure:${node.fqn.join('.')}`
                : node.fqn.join('.');
        lines.push(`${line}\n`);
      }
      // One write: a line per write costs more than the selection itself on a large project.
      process.stdout.write(lines.join(''));
    });
}
