// A source node: extract its table for the interval and load that batch into the raw schema.

import { ConfigError } from '../../errors.js';
import { relationKey, type SourceNode } from '../../manifest/index.js';
import { syncTable } from '../sync-sources.js';
import type { NodeExecutor } from './execution-context.js';

export const executeSource: NodeExecutor<SourceNode> = async (node, context) => {
  const { project } = context;
  const table = project.tables.find((candidate) => candidate.id === node.table_id);
  if (!table) throw new ConfigError(`${node.unique_id}: no table ${node.table_id} in pgshift.yml`);
  // A table whose batch for this day is loaded already stays as it is; its models still run.
  if (context.sourceDay && !context.sourceDay.tables.has(table.id)) return { status: 'success', rowsAffected: 0, message: 'complete for this day already' };
  const { load } = await syncTable(table, {
    project,
    interval: context.interval,
    sourcePoolFor: context.sourcePoolFor,
    s3: context.s3(),
    warehouse: context.warehouse,
    progress: context.progress,
    fromBeginning: context.sourceDay?.fromBeginning.has(table.id),
    signal: context.signal,
  });
  context.existing.add(relationKey(project.rawSchema, table.name));
  return { status: 'success', rowsAffected: load.rows };
};
