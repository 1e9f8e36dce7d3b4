// `pgshift load`: loads batches extracted earlier into the raw schema. (`pgshift run` extracts
// and loads as the source nodes of the project graph; see graph-commands.ts.) The loader is
// imported when the command runs, so other commands start without it.

import type { Command } from 'commander';
import { describeInterval, intervalFromFlags, type IntervalFlags } from '../extract/interval.js';
import { selectTables } from '../extract/select-tables.js';
import { logger } from '../log/logger.js';
import { runBounded } from '../run/bounded-parallel.js';
import { throwFirstFailure } from '../run/outcomes.js';
import { cancellationSignal } from './cancellation.js';
import { addIntervalOptions, addSelectionOptions, parseThreads } from './interval-options.js';
import { openRuntime, type GlobalOptions } from './runtime.js';

interface LoadOptions extends IntervalFlags {
  select: string[];
  exclude: string[];
  threads?: number;
}

export function registerLoadCommand(program: Command): void {
  const command = program.command('load').description('load extracted batches of an interval into the raw schema (refuses batches without a manifest)');
  addSelectionOptions(command);
  addIntervalOptions(command)
    .option('--threads <n>', 'tables loaded at once (default: threads in pgshift.yml)', parseThreads)
    .action(async (options: LoadOptions, cmd: Command) => {
      const interval = intervalFromFlags(options);
      const runtime = await openRuntime(cmd.optsWithGlobals<GlobalOptions>(), options.threads);
      const threads = options.threads ?? runtime.project.threads;
      const [{ loadTableBatch }, { openWarehouse }] = await Promise.all([import('../load/load-batch.js'), import('../warehouse/open-warehouse.js')]);
      const warehouse = await openWarehouse(runtime.target(), () => runtime.s3(), threads);
      try {
        const tables = selectTables(runtime.project.tables, options.select, options.exclude);
        logger.info(`load: ${tables.length} table(s) for ${describeInterval(interval)} into ${runtime.target().name}`, { threads });
        const outcomes = await runBounded(tables, threads, async (table) => {
          const result = await loadTableBatch(table, interval, {
            warehouse,
            s3: runtime.s3(),
            staging: runtime.project.staging,
            rawSchema: runtime.project.rawSchema,
            signal: cancellationSignal(),
          });
          logger.info(`loaded ${result.relation}`, { table: table.id, batch: result.batchId, rows: result.rows, seconds: +result.seconds.toFixed(2) });
          return result;
        });
        const rows = throwFirstFailure(outcomes).reduce((sum, result) => sum + result.rows, 0);
        logger.info(`load done: ${tables.length} table(s), ${rows} rows loaded`);
      } finally {
        await warehouse.close();
        await runtime.close();
      }
    });
}
