// `pgshift docs generate` and `pgshift docs serve`: dbt's documentation site
// (https://docs.getdbt.com/reference/commands/cmd-docs).

import type { Command } from 'commander';
import { parseCliVars } from '../api/graph-options.js';
import type { GlobalOptions } from '../api/runtime.js';
import { ConfigError } from '../errors.js';
import { logger } from '../log/logger.js';

export function registerDocsCommand(program: Command): void {
  const docs = program.command('docs').description('the documentation site: lineage graph, model and column docs, tests, PII classes');
  docs
    .command('generate')
    .description('compile, read the warehouse catalog and write target/catalog.json and target/index.html')
    .option('--vars <yaml-or-json>', "variables for var(), e.g. '{country: DE}'", parseCliVars)
    .option('--target-path <dir>', 'where manifest.json, catalog.json and index.html go', 'target')
    .option('--no-compile', 'document target/manifest.json as it is, without compiling again')
    .option('--empty-catalog', 'ask the warehouse nothing: catalog.json lists no relation (no types or row counts)')
    .action(async (options: { vars?: Record<string, unknown>; targetPath?: string; compile: boolean; emptyCatalog?: boolean }, cmd: Command) => {
      const { generateDocs } = await import('../api/docs-site.js');
      const written = await generateDocs(cmd.optsWithGlobals<GlobalOptions>(), options);
      logger.info(`wrote the documentation site with ${written.relations} relation(s) in the catalog`, {
        site: written.sitePath,
        catalog: written.catalogPath,
      });
    });
  docs
    .command('serve')
    .description('serve target/ on localhost (run docs generate first); Ctrl-C stops it')
    .option('--port <n>', 'port to listen on', parsePort, 8080)
    .option('--target-path <dir>', 'the folder docs generate wrote', 'target')
    .action(async (options: { port: number; targetPath?: string }, cmd: Command) => {
      const { serveDocsSite } = await import('../api/docs-site.js');
      const server = await serveDocsSite(cmd.optsWithGlobals<GlobalOptions>(), options);
      process.stdout.write(`Serving the documentation site at ${server.url} (Ctrl-C to stop)\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await server.close();
    });
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`--port ${value}: expected a whole number from 0 to 65535`);
  return port;
}
