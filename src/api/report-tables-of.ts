// The project's `report.models` resolved against its manifest: the schema, relation and
// columns each dashboard panel reads. What the report shows is the project's choice, not the
// tool's; the report only fixes which columns a panel needs (src/report/report-tables.ts).

import type { Project, ReportSettings } from '../config/project.js';
import { ConfigError } from '../errors.js';
import type { Manifest, ModelNode } from '../manifest/index.js';
import { columnNames, REPORT_TABLES, reportTablesNamed, type ReportRelation, type ReportTableName, type ReportTables } from '../report/report-tables.js';
import { didYouMeanAside } from '../util/suggest.js';

export interface BoundReport {
  readonly schema: string;
  readonly tables: ReportTables;
  /** unique_id of each panel's model, to tell whether a run built them all. */
  readonly modelIds: readonly string[];
}

export function reportTablesOf(project: Project & { report: ReportSettings }, manifest: Manifest): BoundReport {
  const models = Object.values(manifest.nodes).filter((node): node is ModelNode => node.resource_type === 'model');
  const bound = (Object.keys(project.report.models) as ReportTableName[]).map((panel) => {
    const { model: name, columns } = project.report.models[panel];
    const model = models.find((candidate) => candidate.name === name);
    if (!model) throw new ConfigError(`${project.file}: report.models.${panel}: no model named ${name} (or it is disabled)`, { file: project.file });
    const known = columnNames(REPORT_TABLES[panel]);
    for (const column of Object.keys(columns)) {
      if (!known.includes(column))
        throw new ConfigError(
          `${project.file}: report.models.${panel}.columns.${column}: not a column of the ${panel} panel${didYouMeanAside(column, known)} (it reads ${known.join(', ')})`,
          { file: project.file },
        );
    }
    return { panel, model, columns };
  });
  const schemas = [...new Set(bound.map((entry) => entry.model.schema))];
  if (schemas.length > 1) {
    throw new ConfigError(
      `${project.file}: report.models: the report reads one schema, but its models build into ${schemas.join(', ')}; give them the same +schema`,
      { file: project.file },
    );
  }
  const relations = Object.fromEntries(bound.map(({ panel, model, columns }) => [panel, { name: model.alias, columns }])) as Record<
    ReportTableName,
    ReportRelation
  >;
  return { schema: schemas[0]!, tables: reportTablesNamed(relations), modelIds: bound.map((entry) => entry.model.unique_id) };
}
