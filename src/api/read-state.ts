// --state <dir>: the previous manifest (state:modified) and run results (result:<status>),
// by default from the target folder of the last run.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Project } from '../config/project.js';
import { ConfigError } from '../errors.js';
import type { RunResults } from '../graph/index.js';
import type { Manifest } from '../manifest/index.js';
import type { GraphOptions } from './graph-options.js';

export interface PreviousState {
  readonly state?: Manifest;
  readonly previousResults?: RunResults;
}

export async function readState(project: Project, options: Pick<GraphOptions, 'state' | 'targetPath'>): Promise<PreviousState> {
  const dir = options.state ? path.resolve(options.state) : path.resolve(project.rootDir, options.targetPath ?? 'target');
  const read = async <T>(file: string): Promise<T | undefined> => {
    try {
      return JSON.parse(await readFile(path.join(dir, file), 'utf8')) as T;
    } catch (error) {
      if (options.state && file === 'manifest.json') throw new ConfigError(`--state ${options.state}: cannot read ${path.join(dir, file)}; point --state at a folder holding a previous target/manifest.json`, {}, { cause: error });
      return undefined;
    }
  };
  return { state: options.state ? await read<Manifest>('manifest.json') : undefined, previousResults: await read<RunResults>('run_results.json') };
}
