// --state <dir>: the previous manifest (state:modified, state:new) and run results
// (result:<status>), by default from the target folder of the last run; each validated on the
// way in, so that a truncated or foreign file is one clear error naming it.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Project } from '../config/project.js';
import type { Manifest } from '../manifest/index.js';
import type { GraphOptions } from './graph-options.js';
import { parseJsonDocument } from '../config/json-document.js';
import { fromDbtManifest } from '../project-files/read-dbt-manifest.js';
import { ConfigError } from '../errors.js';
import { logger } from '../log/logger.js';
import { readRunResults, type RunResultsFile } from '../run/run-results.js';

// The parts state: selectors compare, in dbt's v12 shape (dbt-manifest.ts writes it): a node's
// checksum and config, the macros it calls and each macro's checksum (kept in its meta.pgshift).
const stateNode = z.looseObject({
  unique_id: z.string(),
  resource_type: z.string(),
  config: z.unknown(),
});
const stateManifestSchema = z.looseObject({
  metadata: z.looseObject({ dbt_schema_version: z.string(), project_name: z.string(), generated_at: z.string() }),
  nodes: z.record(z.string(), stateNode),
  sources: z.record(z.string(), stateNode),
  macros: z.record(z.string(), z.looseObject({ unique_id: z.string() })),
  unit_tests: z.record(z.string(), stateNode).optional(),
});

export interface PreviousState {
  readonly state?: Manifest;
  readonly previousResults?: RunResultsFile;
}

/**
 * `stateDir` is --state as given (the manifest is then required), else undefined and the run's
 * own target folder is read for run_results.json only. A broken run_results.json there is a
 * warning, not an error: it matters only to result: selectors, which then say it is missing.
 */
export async function readPreviousState(stateDir: string | undefined, targetDir: string): Promise<PreviousState> {
  if (stateDir === undefined) {
    try {
      return { previousResults: await readRunResults(targetDir) };
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      logger.warn(`${error.message}; result: selectors cannot use it`);
      return {};
    }
  }
  const dir = path.resolve(stateDir);
  const file = path.join(dir, 'manifest.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `--state ${stateDir}: cannot read ${file}; point --state at a folder holding a previous target/manifest.json`,
      { file },
      { cause: error },
    );
  }
  if (/"pgshift_schema_version"\s*:\s*"pgshift\/manifest\/v1"/.test(text))
    throw new ConfigError(
      `--state ${stateDir}: ${file} was written by an earlier pgshift (pgshift/manifest/v1, before dbt's manifest v12); compile the previous state again with this pgshift and point --state at its target folder`,
      { file },
    );
  const parsed = parseJsonDocument(text, stateManifestSchema);
  if (!parsed.ok)
    throw new ConfigError(`--state ${stateDir}: ${file}: ${parsed.problem}; point --state at a folder holding a manifest.json written by pgshift compile`, {
      file,
    });
  // Validated where state: reads it; the file is a manifest pgshift wrote. state: reads no target.
  const state = fromDbtManifest(parsed.value, { name: '', type: 'postgres', schema: '' });
  return { state, previousResults: await readRunResults(dir) };
}

export function readState(project: Project, options: Pick<GraphOptions, 'state' | 'targetPath'>): Promise<PreviousState> {
  return readPreviousState(options.state, path.resolve(project.rootDir, options.targetPath ?? 'target'));
}
