// A seed node: read its CSV and load it into its table, swapped in with its grants.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { relationKey, type SeedNode } from '../../manifest/index.js';
import { loadSeed } from '../materializations/index.js';
import type { NodeExecutor } from './execution-context.js';

export const executeSeed: NodeExecutor<SeedNode> = async (seed, context) => {
  const csv = await readFile(path.join(context.project.rootDir, seed.original_file_path), 'utf8');
  const grants = (await context.governance?.publishGrants(seed))?.('table') ?? [];
  const result = await loadSeed(context.warehouse, seed, csv, { signal: context.signal }, grants);
  context.existing.add(relationKey(seed.schema, seed.alias));
  return { status: 'success', rowsAffected: result.rowsAffected };
};
