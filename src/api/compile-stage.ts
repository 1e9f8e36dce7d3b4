// Stage one: read the project's files and compile them for a target spec. Needs no secrets
// and opens no connection, so `pgshift compile` and `pgshift ls` work anywhere.

import path from 'node:path';
import type { Interval } from '../batch/interval.js';
import { intervalFromFlags } from '../batch/interval.js';
import { compileProject, type CompileContext, type CompiledProject } from '../compile/index.js';
import { loadProject } from '../config/load-project.js';
import type { Project } from '../config/project.js';
import { requirePiiKeyFor } from '../config/pii-key-policy.js';
import { chosenTargetName, resolveTargetSpec, type TargetSpec } from '../config/target.js';
import { logger } from '../log/logger.js';
import { loadProjectFiles } from '../project-files/load-project-files.js';
import { writeCompileArtifacts } from '../project-files/write-artifacts.js';
import type { GraphOptions } from './graph-options.js';
import type { GlobalOptions } from './runtime.js';

export interface CompileStageResult {
  readonly compiled: CompiledProject;
  readonly project: Project;
  readonly targetSpec: TargetSpec;
  readonly interval: Interval;
  readonly targetDir: string;
}

/** Compiles `project` for `target`; warnings go to the log. */
export async function compileFor(project: Project, target: TargetSpec, context: Omit<CompileContext, 'target'>): Promise<CompiledProject> {
  const compiled = compileProject(await loadProjectFiles(project), { ...context, target: { name: target.name, type: target.type, schema: target.schema } });
  for (const warning of compiled.manifest.warnings) logger.warn(warning);
  return compiled;
}

/** The project in `globals.projectDir`, compiled for the chosen target with the flags' vars and interval. */
export async function compileStage(
  globals: GlobalOptions,
  options: Pick<GraphOptions, 'vars' | 'targetPath' | 'date' | 'start' | 'end' | 'allowOpenInterval'>,
): Promise<CompileStageResult> {
  const project = await loadProject(path.resolve(globals.projectDir ?? process.env.PGSHIFT_PROJECT_DIR ?? '.'));
  requirePiiKeyFor(chosenTargetName(project, globals.target));
  const interval = intervalFromFlags(options);
  const targetSpec = resolveTargetSpec(project, globals.target);
  const compiled = await compileFor(project, targetSpec, {
    vars: options.vars ?? {},
    env: process.env,
    interval: { start: interval.start.toISOString(), end: interval.end.toISOString() },
  });
  return { compiled, project, targetSpec, interval, targetDir: targetDirOf(project, options.targetPath) };
}

/** `pgshift compile`: the manifest and the compiled SQL written to target/. */
export async function compileToTarget(
  globals: GlobalOptions,
  options: GraphOptions,
): Promise<{ nodes: number; sources: number; manifestPath: string; compiledFiles: number }> {
  const { compiled, targetDir } = await compileStage(globals, options);
  const written = await writeCompileArtifacts(compiled.manifest, targetDir);
  return {
    nodes: Object.keys(compiled.manifest.nodes).length,
    sources: Object.keys(compiled.manifest.sources).length,
    manifestPath: written.manifestPath,
    compiledFiles: written.compiledFiles,
  };
}

export function targetDirOf(project: Project, targetPath: string | undefined): string {
  return path.resolve(project.rootDir, targetPath ?? 'target');
}
