// The project's `report.models` resolved against its manifest: the schema and relation each
// dashboard panel reads. What the report shows is the project's choice, not the tool's.

import type { Project, ReportSettings } from '../config/project.js';
import { ConfigError } from '../errors.js';
import type { Manifest, ModelNode } from '../manifest/index.js';
import { reportTablesNamed, type ReportTableName, type ReportTables } from '../report/report-tables.js';

export interface BoundReport {
  readonly schema: string;
  readonly tables: ReportTables;
  /** unique_id of each panel's model, to tell whether a run built them all. */
  readonly modelIds: readonly string[];
}

export function reportTablesOf(project: Project & { report: ReportSettings }, manifest: Manifest): BoundReport {
  const models = Object.values(manifest.nodes).filter((node): node is ModelNode => node.resource_type === 'model');
  const bound = (Object.entries(project.report.models) as [ReportTableName, string][]).map(([panel, name]) => {
    const model = models.find((candidate) => candidate.name === name);
    if (!model) throw new ConfigError(`${project.file}: report.models.${panel}: no model named ${name} (or it is disabled)`, { file: project.file });
    return { panel, model };
  });
  const schemas = [...new Set(bound.map((entry) => entry.model.schema))];
  if (schemas.length > 1) {
    throw new ConfigError(`${project.file}: report.models: the report reads one schema, but its models build into ${schemas.join(', ')}; give them the same +schema`, { file: project.file });
  }
  return {
    schema: schemas[0]!,
    tables: reportTablesNamed(Object.fromEntries(bound.map(({ panel, model }) => [panel, model.alias])) as Record<ReportTableName, string>),
    modelIds: bound.map((entry) => entry.model.unique_id),
  };
}
