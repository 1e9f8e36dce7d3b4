// Snapshots as compiler entries, in both of dbt's forms: `{% snapshot name %} select … {%
// endsnapshot %}` blocks in the .sql files of snapshot-paths, and (dbt 1.9) `snapshots:` entries
// of a YAML file that name a `relation:` to select from. `snapshots:` entries without a relation
// describe a snapshot of the first form (description, columns, tests, config).
// https://docs.getdbt.com/docs/build/snapshots

import { CompileError, ConfigError } from '../errors.js';
import type { TemplateEntry } from './compile-entries.js';
import { configLayerOrThrow } from './config-layer.js';
import { type ConfigLayer, mergeConfigLayers } from '../manifest/node-config.js';
import { compileTemplate, type Environment } from './nunjucks-env.js';
import type { TextFile } from './project-files.js';
import type { SchemaFile, SnapshotPatch } from './schema-yml.js';
import { didYouMean } from '../util/suggest.js';

const BLOCK = /\{%-?\s*snapshot\s+([A-Za-z_][A-Za-z0-9_]*)\s*-?%\}([\s\S]*?)\{%-?\s*endsnapshot\s*-?%\}/g;
const RELATION = /^\s*(ref|source)\s*\(.*\)\s*$/s;

export interface SnapshotSources {
  readonly projectName: string;
  readonly files: readonly TextFile[];
  readonly schemaFiles: readonly SchemaFile[];
  readonly env: Environment;
  /** Folder config (dbt_project.yml `snapshots:`) of a file. */
  readonly folderLayers: (filePath: string) => ConfigLayer[];
  /** Names ref() already resolves (models, seeds), for clashes. */
  readonly taken: (name: string) => string | undefined;
}

/** Every snapshot of the project, parsed once; the caller adds them where models are kept. */
export function loadSnapshotEntries(sources: SnapshotSources): TemplateEntry[] {
  const patches = new Map<string, SnapshotPatch>();
  const defined: Array<{ name: string; file: TextFile; templateText: string; patch: SnapshotPatch | undefined }> = [];
  for (const schemaFile of sources.schemaFiles) {
    for (const patch of schemaFile.snapshots ?? []) {
      const seen = patches.get(patch.name);
      if (seen) throw new ConfigError(`${patch.file}: ${patch.keyPath} is already described in ${seen.file}; describe a snapshot once`, { file: patch.file });
      patches.set(patch.name, patch);
      if (patch.relation === undefined) continue;
      if (!RELATION.test(patch.relation)) {
        throw new ConfigError(`${patch.file}: ${patch.keyPath}.relation must be ref('…') or source('…', '…'), got '${patch.relation}'`, { file: patch.file });
      }
      const text = `select * from {{ ${patch.relation.trim()} }}`;
      defined.push({ name: patch.name, file: { path: patch.file, text }, templateText: text, patch });
    }
  }
  for (const file of sources.files) {
    let found = false;
    for (const match of file.text.matchAll(BLOCK)) {
      found = true;
      const [whole, name, body] = match as unknown as [string, string, string];
      // Blank lines before the body keep template errors at the file's own line numbers.
      const bodyStart = match.index + whole.indexOf('%}') + 2;
      const padding = '\n'.repeat(file.text.slice(0, bodyStart).split('\n').length - 1);
      defined.push({ name, file: { path: file.path, text: body.trim() }, templateText: padding + body, patch: patches.get(name) });
    }
    if (!found)
      throw new CompileError(`${file.path}: no {% snapshot <name> %} … {% endsnapshot %} block; a snapshot file holds one or more`, { file: file.path });
  }
  const entries: TemplateEntry[] = [];
  const byName = new Map<string, string>();
  for (const snapshot of defined) {
    const where = `${snapshot.file.path}${snapshot.patch?.relation !== undefined ? ` (${snapshot.patch.keyPath})` : ''}`;
    const other = byName.get(snapshot.name) ?? sources.taken(snapshot.name);
    if (other) throw new CompileError(`'${snapshot.name}' is defined twice: ${other} and ${where}; ref() needs unique names`, { file: snapshot.file.path });
    byName.set(snapshot.name, where);
    const patch = snapshot.patch;
    const baseLayer = mergeConfigLayers(
      ...sources.folderLayers(patch?.relation !== undefined ? patch.file : snapshot.file.path),
      patch ? configLayerOrThrow('snapshot', patch.config, patch.file, `${patch.keyPath}.config`) : {},
    );
    entries.push({
      uniqueId: `snapshot.${sources.projectName}.${snapshot.name}`,
      name: snapshot.name,
      kind: 'snapshot',
      file: snapshot.file,
      template: compileTemplate(sources.env, snapshot.templateText, snapshot.file.path),
      baseLayer,
      patch,
    });
  }
  for (const patch of patches.values()) {
    if (byName.has(patch.name)) continue;
    throw new ConfigError(
      `${patch.file}: ${patch.keyPath} describes snapshot '${patch.name}', but no {% snapshot ${patch.name} %} block exists and the entry has no relation:${didYouMean(patch.name, [...byName.keys()])}`,
      { file: patch.file },
    );
  }
  return entries;
}
