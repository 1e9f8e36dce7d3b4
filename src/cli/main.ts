// The pgshift command line: parses flags, hands work to the library, prints one clear line
// on failure (the stack only with --debug) and sets the exit code.

import { Command, Option } from 'commander';
import { CancelledError, ConfigError, PgshiftError } from '../errors.js';
import { logger } from '../log/logger.js';
import { redact, registerEnvironmentSecrets } from '../log/redact.js';
import packageJson from '../../package.json' with { type: 'json' };
import { registerAccessCommand } from './access-command.js';
import { registerBuildCommand } from './build-command.js';
import { registerCleanCommand } from './clean-command.js';
import { registerCompileCommand } from './compile-command.js';
import { registerDebugCommand } from './debug-command.js';
import { registerDocsCommand } from './docs-command.js';
import { registerDepsCommand } from './deps-command.js';
import { registerExtractCommand } from './extract-command.js';
import { registerFreshnessCommand } from './freshness-command.js';
import { registerLoadCommand } from './load-command.js';
import { registerLsCommand } from './ls-command.js';
import { registerParseCommand } from './parse-command.js';
import { registerReportCommand } from './report-command.js';
import { registerRetryCommand } from './retry-command.js';
import { registerRunCommand } from './run-command.js';
import { registerRunOperationCommand } from './run-operation-command.js';
import { registerSeedCommand } from './seed-command.js';
import { registerShowCommand } from './show-command.js';
import { registerSmokeCommand } from './smoke-command.js';
import { registerSnapshotCommand } from './snapshot-command.js';
import { registerTestCommand } from './test-command.js';
import { useOneLineUsageErrors } from './usage-errors.js';

export function buildProgram(): Command {
  const program = new Command('pgshift')
    .description('Stream PostgreSQL tables into Redshift through S3, then model them with SQL inside the warehouse.')
    .option('--project-dir <dir>', 'folder holding pgshift.yml or dbt_project.yml', process.env.PGSHIFT_PROJECT_DIR ?? '.')
    .option('--target <name>', 'target from pgshift.yml targets or the profiles.yml profile (default: its `target`)')
    .option('--profiles-dir <dir>', 'folder holding profiles.yml (default: DBT_PROFILES_DIR, the project folder, then ~/.dbt)')
    .addOption(new Option('--log-format <format>', 'text for people, json lines for CI and orchestrators').choices(['text', 'json']).default('text'))
    .option('--debug', 'print stack traces and debug logs')
    .option('--warn-error', 'treat warnings as errors: exit 1 when the command logged any (dbt --warn-error)')
    .version(packageJson.version, '-V, --version', 'print the pgshift version')
    .hook('preAction', (command) => {
      const options = command.opts<{ logFormat: 'text' | 'json'; debug?: boolean }>();
      logger.configure({ format: options.logFormat, level: options.debug ? 'debug' : logger.level });
      registerEnvironmentSecrets();
    });
  registerExtractCommand(program);
  registerLoadCommand(program);
  registerCompileCommand(program);
  registerLsCommand(program);
  registerParseCommand(program);
  registerRunCommand(program);
  registerBuildCommand(program);
  registerSeedCommand(program);
  registerSnapshotCommand(program);
  registerTestCommand(program);
  registerShowCommand(program);
  registerFreshnessCommand(program);
  registerRetryCommand(program);
  registerRunOperationCommand(program);
  registerReportCommand(program);
  registerAccessCommand(program);
  registerDocsCommand(program);
  registerCleanCommand(program);
  registerDepsCommand(program);
  registerDebugCommand(program);
  registerSmokeCommand(program);
  useOneLineUsageErrors(program);
  return program;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  const program = buildProgram();
  await program.parseAsync(argv, { from: 'node' });
  // As dbt's --warn-error: the command ran, but a warning fails it (https://docs.getdbt.com/reference/global-configs/warnings).
  if (program.opts<{ warnError?: boolean }>().warnError && logger.warningCount > 0) {
    throw new ConfigError(`--warn-error: ${logger.warningCount} warning(s) treated as errors; fix them or drop --warn-error`);
  }
}

export function reportFailure(error: unknown): void {
  const debug = process.argv.includes('--debug');
  const message = error instanceof Error ? error.message : String(error);
  if (logger.format === 'json') {
    const { code, context } = error instanceof PgshiftError ? error : { code: 'UNEXPECTED', context: {} };
    logger.error(message, { code, ...context });
  } else {
    process.stderr.write(`${redact(`error: ${message}`)}\n`);
  }
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${redact(error.stack)}\n`);
  process.exitCode = error instanceof CancelledError ? 130 : error instanceof PgshiftError ? 1 : 2;
}
