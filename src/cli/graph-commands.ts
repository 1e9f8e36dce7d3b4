// The project-graph commands: compile, ls, run (sources + seeds + models + tests), build
// (seeds + models + tests), seed, test and retry. The model engine is imported when one of
// them runs, so `extract` and `load` start without it.

import path from 'node:path';
import type { Command } from 'commander';
import type { Manifest } from '../compile/index.js';
import type { Project } from '../config/project.js';
import { ConfigError } from '../errors.js';
import { intervalFromFlags, type Interval } from '../extract/interval.js';
import type { RunResults } from '../graph/index.js';
import { logger } from '../log/logger.js';
import type { Invocation } from '../run/run-results.js';
import type { RunCommand, RunProjectResult } from '../run/run-project.js';
import { openWarehouse } from '../warehouse/open-warehouse.js';
import { cancellationSignal } from './cancellation.js';
import { addGraphOptions, type GraphOptions } from './graph-options.js';
import { openRuntime, type GlobalOptions } from './runtime.js';

const EXECUTION_COMMANDS: Record<Exclude<RunCommand, 'retry'>, string> = {
  run: 'extract and load the selected sources, then build seeds and models and run their tests, in dependency order',
  build: 'build seeds and models and run their tests, in dependency order (sources as already loaded)',
  seed: 'load the CSV files in seeds/ into the warehouse',
  test: 'run data tests',
};

export function registerGraphCommands(program: Command): void {
  addGraphOptions(program.command('compile').description('render every model and test to target/compiled and write target/manifest.json'), { execution: false }).action(
    async (options: GraphOptions, cmd: Command) => {
      const { manifest, targetDir } = await compileFor(cmd, options);
      const { writeCompileArtifacts } = await import('../compile/index.js');
      const written = await writeCompileArtifacts(manifest, targetDir);
      logger.info(`compiled ${Object.keys(manifest.nodes).length} node(s) and ${Object.keys(manifest.sources).length} source(s)`, { manifest: written.manifestPath, files: written.compiledFiles });
    },
  );

  addGraphOptions(program.command('ls').description('list the nodes a selection picks'), { execution: false })
    .option('--output <format>', 'plain (names) or json', 'plain')
    .option('--resource-type <type>', 'only this resource type (model, seed, test, source)')
    .action(async (options: GraphOptions & { output: string; resourceType?: string }, cmd: Command) => {
      if (!['plain', 'json'].includes(options.output)) throw new ConfigError(`--output ${options.output}: expected plain or json`);
      const { manifest, project } = await compileFor(cmd, options);
      const [{ selectNodes }, { getNode }] = await Promise.all([import('../graph/index.js'), import('../compile/index.js')]);
      const selection = selectNodes(manifest, {
        select: options.select,
        exclude: options.exclude,
        selector: options.selector,
        ...(await stateFor(project, options)),
        resourceTypes: options.resourceType ? [options.resourceType as 'model'] : undefined,
      });
      for (const warning of selection.warnings) logger.warn(warning);
      for (const id of selection.selected) {
        const node = getNode(manifest, id);
        if (!node) continue;
        const line =
          options.output === 'json'
            ? JSON.stringify({ unique_id: id, name: node.name, resource_type: node.resource_type, original_file_path: node.original_file_path, depends_on: node.depends_on.nodes })
            : node.resource_type === 'source'
              ? `source:${id.slice('source.'.length)}`
              : node.fqn.join('.');
        process.stdout.write(`${line}\n`);
      }
    });

  for (const [command, description] of Object.entries(EXECUTION_COMMANDS) as [Exclude<RunCommand, 'retry'>, string][]) {
    addGraphOptions(program.command(command).description(description), { execution: true }).action(async (options: GraphOptions, cmd: Command) => {
      await execute(command, cmd, options);
    });
  }

  addGraphOptions(program.command('freshness').description('check how recent each source\'s newest loaded row is (warn_after / error_after in schema.yml)'), { execution: false }).action(
    async (options: GraphOptions, cmd: Command) => {
      const { manifest, targetDir } = await compileFor(cmd, options);
      const [{ selectNodes }, { checkFreshness }, { writeFile, mkdir }] = await Promise.all([import('../graph/index.js'), import('../run/source-freshness.js'), import('node:fs/promises')]);
      const selection = selectNodes(manifest, { select: options.select, exclude: options.exclude, selector: options.selector, resourceTypes: ['source'] });
      const runtime = await openRuntime(cmd.optsWithGlobals<GlobalOptions>());
      const warehouse = await openWarehouse(runtime.target(), () => runtime.s3());
      try {
        const results = await checkFreshness(warehouse, manifest, selection.selected);
        for (const result of results) {
          const line = `${result.status.toUpperCase()} ${result.uniqueId}: ${result.message}`;
          if (result.status === 'pass') logger.info(line);
          else if (result.status === 'warn') logger.warn(line);
          else logger.error(line);
        }
        await mkdir(targetDir, { recursive: true });
        await writeFile(path.join(targetDir, 'sources.json'), JSON.stringify({ generated_at: new Date().toISOString(), results }, null, 2));
        if (results.length === 0) logger.warn('no selected source declares freshness (loaded_at_field + warn_after/error_after in schema.yml)');
        if (results.some((result) => result.status === 'error' || result.status === 'runtime error')) process.exitCode = 1;
      } finally {
        await warehouse.close();
        await runtime.close();
      }
    },
  );

  program
    .command('retry')
    .description('run again what errored, failed or was skipped in the last run, with the same flags, vars and interval')
    .option('--target-path <dir>', 'where the last run_results.json is', 'target')
    .action(async (options: { targetPath: string }, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const targetDir = path.resolve(globals.projectDir ?? '.', options.targetPath);
      const { readRunResults } = await import('../run/run-results.js');
      const previous = await readRunResults(targetDir);
      if (!previous) throw new ConfigError(`retry: no ${path.join(targetDir, 'run_results.json')}; run pgshift run or build first`);
      const again = previous.results.filter((result) => ['error', 'fail', 'skipped'].includes(result.status)).map((result) => result.unique_id);
      if (again.length === 0) {
        logger.info('retry: the last run had no errors, failures or skipped nodes; nothing to do');
        return;
      }
      const invocation = previous.metadata.invocation;
      const repeated: GraphOptions = {
        select: [...invocation.select],
        exclude: [...invocation.exclude],
        selector: invocation.selector,
        vars: { ...invocation.vars },
        fullRefresh: invocation.fullRefresh,
        failFast: invocation.failFast,
        threads: invocation.threads,
        targetPath: options.targetPath,
        start: invocation.interval.start,
        end: invocation.interval.end,
      };
      await execute('retry', cmd, repeated, again, invocation.target);
    });
}

async function execute(command: RunCommand, cmd: Command, options: GraphOptions, onlyIds?: string[], targetName?: string): Promise<void> {
  const { tally } = await runGraphCommand(command, { ...cmd.optsWithGlobals<GlobalOptions>(), ...(targetName ? { target: targetName } : {}) }, options, onlyIds);
  if (cancellationSignal().aborted) process.exitCode = 130;
  else if (tally.error > 0) process.exitCode = 1;
}

/** One run/build/seed/test/retry, as the CLI does it; the demo calls it too. */
export async function runGraphCommand(command: RunCommand, globals: GlobalOptions, options: GraphOptions, onlyIds?: readonly string[]): Promise<RunProjectResult> {
  const interval = intervalFromFlags(options);
  const runtime = await openRuntime(globals, options.threads);
  const threads = options.threads ?? runtime.project.threads;
  const target = runtime.target();
  const warehouse = await openWarehouse(target, () => runtime.s3(), threads);
  try {
    const invocation: Invocation = {
      command,
      target: target.name,
      select: options.select ?? [],
      exclude: options.exclude ?? [],
      selector: options.selector,
      vars: options.vars ?? {},
      fullRefresh: Boolean(options.fullRefresh),
      interval: { start: interval.start.toISOString(), end: interval.end.toISOString() },
      threads,
      failFast: Boolean(options.failFast),
    };
    const { runProject } = await import('../run/run-project.js');
    return await runProject({
      command,
      project: runtime.project,
      target,
      warehouse,
      s3: () => runtime.s3(),
      sourcePoolFor: (table) => runtime.sourcePool(table),
      invocation,
      interval,
      targetDir: path.resolve(runtime.project.rootDir, options.targetPath ?? 'target'),
      onlyIds,
      ...(await stateFor(runtime.project, options)),
      signal: cancellationSignal(),
    });
  } finally {
    await warehouse.close();
    await runtime.close();
  }
}

async function compileFor(cmd: Command, options: GraphOptions): Promise<{ manifest: Manifest; project: Project; targetDir: string; interval: Interval }> {
  const globals = cmd.optsWithGlobals<GlobalOptions>();
  const runtime = await openRuntime(globals);
  try {
    const project = runtime.project;
    const interval = intervalFromFlags(options);
    const targetName = globals.target ?? process.env.PGSHIFT_TARGET ?? project.defaultTarget;
    const file = project.raw.targets[targetName];
    if (!file) throw new ConfigError(`--target ${targetName}: no such target in ${project.file} (defined: ${Object.keys(project.raw.targets).join(', ')})`);
    const { compileProject, loadProjectFiles } = await import('../compile/index.js');
    const manifest = compileProject(await loadProjectFiles(project), {
      target: { name: targetName, type: file.type, schema: file.schema },
      vars: options.vars ?? {},
      env: process.env,
      interval: { start: interval.start.toISOString(), end: interval.end.toISOString() },
    });
    for (const warning of manifest.warnings) logger.warn(warning);
    return { manifest, project, interval, targetDir: path.resolve(project.rootDir, options.targetPath ?? 'target') };
  } finally {
    await runtime.close();
  }
}

/** --state <dir>: the previous manifest (state:modified) and run results (result:<status>). */
async function stateFor(project: Project, options: GraphOptions): Promise<{ state?: Manifest; previousResults?: RunResults }> {
  const { readPreviousState } = await import('../run/read-state.js');
  return readPreviousState(options.state, path.resolve(project.rootDir, options.targetPath ?? 'target'));
}
