// A snapshot's manifest node (a model node with resource_type snapshot) and the checks its
// settled config must pass: what a strategy needs, as dbt documents it in
// https://docs.getdbt.com/reference/snapshot-configs (unique_key and strategy are required;
// timestamp needs updated_at, check needs check_cols).

import { CompileError } from '../errors.js';
import { quoteQualified } from '../sql/quote-ident.js';
import type { SnapshotNode } from '../manifest/manifest.js';
import type { SnapshotConfig } from '../manifest/node-config.js';
import { folderParts, pathUnder, type TemplateEntry } from './compile-entries.js';
import { modelNode, type NodeFacts } from './manifest-nodes.js';

export function snapshotNode(entry: TemplateEntry, facts: NodeFacts): SnapshotNode {
  const node = modelNode(entry, facts);
  const underSnapshots = pathUnder(facts.paths.snapshots, entry.file.path);
  // target_schema, when set, names the schema as written (relationParts knows).
  const { schema, identifier } = facts.relationParts(entry.uniqueId);
  return {
    ...node,
    schema: schema!,
    alias: identifier,
    relation_name: quoteQualified(schema!, identifier),
    resource_type: 'snapshot',
    config: node.config as SnapshotConfig,
    // The folders the file sits in, then the snapshot's name (a file may hold several).
    fqn: [facts.projectName, ...folderParts(underSnapshots), entry.name],
    path: underSnapshots,
    compiled_path: `target/compiled/${entry.file.path.replace(/\.ya?ml$/, '')}/${entry.name}.sql`,
  };
}

/** The config, or one line naming the snapshot, its file and the missing key. */
export function checkedSnapshotConfig(entry: TemplateEntry, config: SnapshotConfig): SnapshotConfig {
  const fail = (problem: string): never => {
    throw new CompileError(`${entry.file.path}: snapshot ${entry.name} ${problem}`, { file: entry.file.path, model: entry.name });
  };
  if (config.unique_key === null || config.unique_key.length === 0) fail("has no unique_key; set unique_key='<column>' (or a list) in its config");
  if (config.strategy === null) fail("has no strategy; set strategy='timestamp' (with updated_at) or strategy='check' (with check_cols)");
  if (config.strategy === 'timestamp' && config.updated_at === null)
    fail("uses strategy 'timestamp' without updated_at; set updated_at='<column>' to the column that changes when a row does");
  if (config.strategy === 'check' && config.check_cols === null) fail("uses strategy 'check' without check_cols; set check_cols=['<column>', …] or 'all'");
  return config;
}
