// `pgshift docs generate` and `pgshift docs serve`: dbt's documentation site for the project
// (https://docs.getdbt.com/reference/commands/cmd-docs). generate compiles (unless
// --no-compile reuses target/manifest.json), reads the warehouse's catalog of the relations
// the manifest names (unless --empty-catalog) and writes target/catalog.json and
// target/index.html; serve serves target/ on localhost.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import packageJson from '../../package.json' with { type: 'json' };
import { parseJsonDocument } from '../config/json-document.js';
import { emptyCatalog, readCatalog, serveDocs, writeDocsSite, type DocsServer } from '../docs-site/index.js';
import { ConfigError } from '../errors.js';
import type { Manifest } from '../manifest/manifest.js';
import { writeCompileArtifacts } from '../project-files/write-artifacts.js';
import { fromDbtManifest } from '../project-files/read-dbt-manifest.js';
import { resolveTargetSpec, targetDatabaseOf } from '../config/target.js';
import { openWarehouse } from '../warehouse/open-warehouse.js';
import { compileInputs, readCompileInputs, targetDirOf } from './compile-stage.js';
import type { GraphOptions } from './graph-options.js';
import { openProject, openRuntime, type GlobalOptions } from './runtime.js';

export interface DocsGenerateOptions extends Pick<GraphOptions, 'vars' | 'targetPath'> {
  /** --no-compile: document target/manifest.json as the last compile left it. */
  readonly compile?: boolean;
  /** --empty-catalog: ask the warehouse nothing; catalog.json lists no relation. */
  readonly emptyCatalog?: boolean;
}

export interface DocsGenerateResult {
  readonly catalogPath: string;
  readonly sitePath: string;
  readonly relations: number;
}

export async function generateDocs(globals: GlobalOptions, options: DocsGenerateOptions = {}): Promise<DocsGenerateResult> {
  let manifest: Manifest;
  let targetDir: string;
  if (options.compile === false) {
    const project = await openProject(globals);
    targetDir = targetDirOf(project, options.targetPath);
    const spec = resolveTargetSpec(project, globals.target);
    manifest = await readManifestFile(path.join(targetDir, 'manifest.json'), { name: spec.name, type: spec.type, schema: spec.schema });
  } else {
    const compiled = compileInputs(await readCompileInputs(globals, options));
    manifest = compiled.compiled.manifest;
    targetDir = compiled.targetDir;
    await writeCompileArtifacts(manifest, targetDir, { database: targetDatabaseOf(compiled.targetSpec) });
  }
  const catalog = options.emptyCatalog ? emptyCatalog(packageJson.version) : await readWarehouseCatalog(globals, manifest);
  const written = await writeDocsSite(manifest, catalog, targetDir);
  return { ...written, relations: Object.keys(catalog.nodes).length + Object.keys(catalog.sources).length };
}

async function readWarehouseCatalog(globals: GlobalOptions, manifest: Manifest) {
  const runtime = await openRuntime(globals);
  try {
    const warehouse = await openWarehouse(runtime.target(), () => runtime.s3(), 1);
    try {
      return await readCatalog(warehouse, manifest, packageJson.version);
    } finally {
      await warehouse.close();
    }
  } finally {
    await runtime.close();
  }
}

// What the site reads of a manifest (dbt's v12 shape); the rest is taken as pgshift wrote it.
const manifestFileSchema = z.looseObject({
  metadata: z.looseObject({ dbt_schema_version: z.string(), project_name: z.string(), generated_at: z.string() }),
  nodes: z.record(z.string(), z.looseObject({ unique_id: z.string(), resource_type: z.string() })),
  sources: z.record(z.string(), z.looseObject({ unique_id: z.string() })),
});

async function readManifestFile(file: string, target: Manifest['metadata']['target']): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ConfigError(`--no-compile: ${file} does not exist; run pgshift compile first, or drop --no-compile`, { file });
    }
    throw error;
  }
  const parsed = parseJsonDocument(text, manifestFileSchema);
  if (!parsed.ok) throw new ConfigError(`--no-compile: ${file} is ${parsed.problem}; run pgshift compile again`, { file });
  return fromDbtManifest(parsed.value, target);
}

/** Serves the target folder (`--target-path`) on localhost:`port` until the server is closed. */
export async function serveDocsSite(globals: GlobalOptions, options: { port: number; targetPath?: string }): Promise<DocsServer> {
  const targetDir = targetDirOf(await openProject(globals), options.targetPath);
  try {
    await readFile(path.join(targetDir, 'index.html'));
  } catch {
    throw new ConfigError(`${path.join(targetDir, 'index.html')} does not exist; run pgshift docs generate first`);
  }
  return serveDocs(targetDir, options.port);
}
