// Stage one: read the project's files and compile them for a target spec. Needs no secrets
// and opens no connection, so `pgshift compile` and `pgshift ls` work anywhere.

import path from 'node:path';
import packageJson from '../../package.json' with { type: 'json' };
import type { Interval } from '../batch/interval.js';
import { intervalFromFlags } from '../batch/interval.js';
import { compileInputsDigest, compileProject, environmentDigest, recordingEnvironment, type CompileContext, type CompiledProject } from '../compile/index.js';
import { projectPaths, type Project } from '../config/project.js';
import { requirePiiKeyFor } from '../config/pii-key-policy.js';
import { chosenTargetName, resolveTargetSpec, targetDatabaseOf, type TargetSpec } from '../config/target.js';
import { logger } from '../log/logger.js';
import { maskSecrets } from '../log/redact.js';
import { loadProjectFiles, type ProjectFiles } from '../project-files/load-project-files.js';
import { type SelectionCacheKey, writeSelectionCache } from '../project-files/selection-cache.js';
import { writeCompileArtifacts } from '../project-files/write-artifacts.js';
import type { GraphOptions } from './graph-options.js';
import { openProject, type GlobalOptions } from './open-project.js';

export interface CompileStageResult {
  readonly compiled: CompiledProject;
  readonly project: Project;
  readonly targetSpec: TargetSpec;
  readonly interval: Interval;
  readonly targetDir: string;
}

/** Everything a compilation reads, read; compiling it is then pure. */
export interface CompileInputs {
  readonly project: Project;
  readonly files: ProjectFiles;
  readonly targetSpec: TargetSpec;
  readonly interval: Interval;
  readonly targetDir: string;
  readonly context: CompileContext;
  /** compileInputsDigest of the above. */
  readonly digest: string;
  /** Filled in as templates call env_var(): the names they read. */
  readonly envNames: Set<string>;
}

type CompileOptions = Pick<GraphOptions, 'vars' | 'targetPath' | 'date' | 'start' | 'end' | 'allowOpenInterval'>;

/** Compiles `project` for `target`; warnings go to the log. */
export async function compileFor(project: Project, target: TargetSpec, context: Omit<CompileContext, 'target'>): Promise<CompiledProject> {
  return compileFiles(await loadProjectFiles(project), { ...context, target: compileTargetOf(target) });
}

function compileTargetOf(spec: TargetSpec): CompileContext['target'] {
  return { name: spec.name, type: spec.type, schema: spec.schema, database: spec.database, profile_name: spec.profile_name, settings: spec.settings };
}

function compileFiles(files: ProjectFiles, context: CompileContext): CompiledProject {
  const compiled = compileProject(files, context);
  for (const warning of compiled.manifest.warnings) logger.warn(warning);
  return compiled;
}

/** The project in `globals.projectDir`, its files and the facts it compiles with (chosen target, the flags' vars and interval). */
export async function readCompileInputs(globals: GlobalOptions, options: CompileOptions): Promise<CompileInputs> {
  const project = await openProject(globals);
  requirePiiKeyFor(chosenTargetName(project, globals.target));
  const interval = intervalFromFlags(options);
  const targetSpec = resolveTargetSpec(project, globals.target);
  const files = await loadProjectFiles(project);
  const envNames = new Set<string>();
  const context: CompileContext = {
    target: compileTargetOf(targetSpec),
    vars: options.vars ?? {},
    env: recordingEnvironment(process.env, envNames),
    interval: { start: interval.start.toISOString(), end: interval.end.toISOString() },
  };
  const digest = compileInputsDigest(files, context, packageJson.version);
  return { project, files, targetSpec, interval, targetDir: targetDirOf(project, options.targetPath), context, digest, envNames };
}

export function compileInputs(inputs: CompileInputs): CompileStageResult {
  const compiled = compileFiles(inputs.files, inputs.context);
  return { compiled, project: inputs.project, targetSpec: inputs.targetSpec, interval: inputs.interval, targetDir: inputs.targetDir };
}

/** The key the selection cache is stored under, once `inputs` were compiled (so every env_var() read is known). */
export function selectionCacheKey(inputs: CompileInputs): SelectionCacheKey {
  const envNames = [...inputs.envNames].sort();
  return { inputs: inputs.digest, envNames, env: cacheEnvironmentDigest(envNames) };
}

/**
 * The digest of the variables `names` as the selection cache records them. A secret's value (a
 * PII key) is left out, only whether it is set counts: a digest of it on disk could be tested
 * against guesses of a weak key. What a secret changes is compiled SQL, not what ls selects.
 */
export function cacheEnvironmentDigest(names: readonly string[]): string {
  const masked: Record<string, string | undefined> = {};
  for (const name of names) {
    const value = process.env[name];
    masked[name] = value === undefined ? undefined : maskSecrets(value) === value ? value : '(secret)';
  }
  return environmentDigest(names, masked);
}

/** The project in `globals.projectDir`, compiled for the chosen target with the flags' vars and interval. */
export async function compileStage(globals: GlobalOptions, options: CompileOptions): Promise<CompileStageResult> {
  return compileInputs(await readCompileInputs(globals, options));
}

/** `pgshift compile`: the manifest and the compiled SQL written to target/, and the selection cache `ls` reads. */
export async function compileToTarget(
  globals: GlobalOptions,
  options: GraphOptions,
): Promise<{ nodes: number; sources: number; manifestPath: string; compiledFiles: number }> {
  const inputs = await readCompileInputs(globals, options);
  const { compiled, targetDir } = compileInputs(inputs);
  const written = await writeCompileArtifacts(compiled.manifest, targetDir, {
    database: targetDatabaseOf(inputs.targetSpec),
  });
  writeSelectionCache(targetDir, selectionCacheKey(inputs), compiled.manifest);
  return {
    nodes: Object.keys(compiled.manifest.nodes).length,
    sources: Object.keys(compiled.manifest.sources).length,
    manifestPath: written.manifestPath,
    compiledFiles: written.compiledFiles,
  };
}

export function targetDirOf(project: Project, targetPath: string | undefined): string {
  // --target-path's default is `target`; dbt_project.yml's target-path replaces that default.
  const configured = projectPaths(project).target;
  return path.resolve(project.rootDir, targetPath === undefined || targetPath === 'target' ? configured : targetPath);
}
