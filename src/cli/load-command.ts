// `pgshift load`: loads batches extracted earlier into the raw schema. (`pgshift run` extracts
// and loads as the source nodes of the project graph; see graph-commands.ts.)

import type { Command } from 'commander';
import { describeInterval, intervalFromFlags, type IntervalFlags } from '../extract/interval.js';
import { selectTables } from '../extract/select-tables.js';
import { logger } from '../log/logger.js';
import { syncSources } from '../run/sync-sources.js';
import { openWarehouse } from '../warehouse/open-warehouse.js';
import { cancellationSignal } from './cancellation.js';
import { throwFirstFailure } from '../run/outcomes.js';
import { addIntervalOptions, addSelectionOptions, parseThreads } from './interval-options.js';
import { openRuntime, type GlobalOptions } from './runtime.js';

interface SyncCommandOptions extends IntervalFlags {
  select: string[];
  exclude: string[];
  threads?: number;
}

export function registerLoadCommand(program: Command): void {
  for (const [name, extract, description] of [['load', false, 'load extracted batches of an interval into the raw schema (refuses batches without a manifest)']] as const) {
    const command = program.command(name).description(description);
    addSelectionOptions(command);
    addIntervalOptions(command)
      .option('--threads <n>', 'tables processed at once (default: threads in pgshift.yml)', parseThreads)
      .action(async (options: SyncCommandOptions, cmd: Command) => {
        const interval = intervalFromFlags(options);
        const runtime = await openRuntime(cmd.optsWithGlobals<GlobalOptions>(), options.threads);
        const threads = options.threads ?? runtime.project.threads;
        const warehouse = await openWarehouse(runtime.target(), () => runtime.s3(), threads);
        try {
          const tables = selectTables(runtime.project.tables, options.select, options.exclude);
          logger.info(`${name}: ${tables.length} table(s) for ${describeInterval(interval)} into ${runtime.target().name}`, { threads });
          const outcomes = await syncSources({
            project: runtime.project,
            tables,
            interval,
            sourcePoolFor: (table) => runtime.sourcePool(table),
            s3: runtime.s3(),
            warehouse,
            threads,
            extract,
            signal: cancellationSignal(),
          });
          const rows = throwFirstFailure(outcomes).reduce((sum, result) => sum + result.load.rows, 0);
          logger.info(`${name} done: ${tables.length} table(s), ${rows} rows loaded`);
        } finally {
          await warehouse.close();
          await runtime.close();
        }
      });
  }
}
