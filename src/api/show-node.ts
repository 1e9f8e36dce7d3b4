// `pgshift show`: dbt's preview of one node (https://docs.getdbt.com/reference/commands/show).
// The node is compiled from its source as a run would render it (its ephemeral models as CTEs,
// ref() to the relations already built), wrapped in dbt's limit subquery so the warehouse
// returns only the rows asked for, and its rows handed back. Nothing is built; only a preview of a
// selected node writes target/manifest.json.

import { ConfigError } from '../errors.js';
import { selectNodes } from '../graph/index.js';
import { getNode, relationKey, renderWithIntrospection, type AnyNode } from '../manifest/index.js';
import { projectPaths } from '../config/project.js';
import { writeCompileArtifacts } from '../project-files/write-artifacts.js';
import { targetDatabaseOf } from '../config/target.js';
import { introspectionAnswers } from '../run/introspection-answers.js';
import { quoteQualified } from '../sql/quote-ident.js';
import { LIST_RELATIONS_SQL } from '../warehouse/catalog-queries.js';
import { openWarehouse } from '../warehouse/open-warehouse.js';
import { compileInputs, readCompileInputs, type CompileInputs } from './compile-stage.js';
import type { GraphOptions } from './graph-options.js';
import { openRuntime, type GlobalOptions } from './runtime.js';

/** dbt's name for the node an --inline query becomes. */
export const INLINE_NODE_NAME = 'inline_query';

/** dbt's default --limit. */
export const DEFAULT_SHOW_LIMIT = 5;

export interface ShowOptions extends Pick<GraphOptions, 'select' | 'exclude' | 'vars' | 'targetPath' | 'date' | 'start' | 'end' | 'allowOpenInterval'> {
  /** --inline: a query of its own (ref, source, macros) instead of a selected node. */
  readonly inline?: string;
  /** Rows to fetch; a negative number fetches all, as dbt's `--limit -1`. */
  readonly limit?: number;
  readonly signal?: AbortSignal;
}

export interface ShowResult {
  /** The node's name, or `inline_query`. */
  readonly node: string;
  readonly inline: boolean;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
  /** The query sent, limit included. */
  readonly sql: string;
}

// What show can preview: what has a query (dbt's models, tests, snapshots) or a relation (seeds).
const SHOWABLE = new Set<AnyNode['resource_type']>(['model', 'seed', 'snapshot', 'test']);

export async function showNode(globals: GlobalOptions, options: ShowOptions): Promise<ShowResult> {
  const inline = options.inline;
  if (inline !== undefined && (options.select.length > 0 || options.exclude.length > 0)) {
    throw new ConfigError('show: --inline and --select cannot be combined; preview either a query or one node');
  }
  if (inline !== undefined && inline.trim() === '')
    throw new ConfigError('show: --inline is empty; pass a query, e.g. --inline "select * from {{ ref(\'orders\') }}"');
  if (inline === undefined && options.select.length === 0) throw new ConfigError('show: pass --select <node> or --inline "<query>"');
  const read = await readCompileInputs(globals, options);
  const inputs = inline === undefined ? read : withInlineModel(read, inline);
  const { compiled, targetDir } = compileInputs(inputs);
  // The project's manifest, as compile writes it; an inline query is no node of the project.
  if (inline === undefined) await writeCompileArtifacts(compiled.manifest, targetDir, { database: targetDatabaseOf(inputs.targetSpec) });
  const node = inline === undefined ? selectOne(compiled.manifest, options) : getNode(compiled.manifest, inlineId(inputs))!;

  const runtime = await openRuntime(globals);
  try {
    const warehouse = await openWarehouse(runtime.target(), () => runtime.s3(), 1);
    try {
      let query: string;
      if (node.resource_type === 'seed') {
        // A seed's rows are its relation's: the CSV is read only by `pgshift seed`.
        query = `select * from ${quoteQualified(node.schema, node.alias)}`;
      } else {
        const rows = await warehouse.query<{ schema_name: string; relation_name: string }>(LIST_RELATIONS_SQL, [], { signal: options.signal });
        const existing = new Set(rows.map((row) => relationKey(row.schema_name, row.relation_name)));
        const facts = {
          vars: inputs.context.vars,
          env: process.env,
          interval: inputs.context.interval,
          runStartedAt: new Date().toISOString(),
          relationExists: (schema: string, identifier: string) => existing.has(relationKey(schema, identifier)),
        };
        query = (await renderWithIntrospection(compiled, node.unique_id, facts, introspectionAnswers(warehouse, options.signal))).compiled_code;
      }
      const sql = limitedQuery(query, options.limit ?? DEFAULT_SHOW_LIMIT);
      const result = await warehouse.queryTable(sql, [], { signal: options.signal });
      return { node: node.name, inline: inline !== undefined, columns: result.columns, rows: result.rows, sql };
    } finally {
      await warehouse.close();
    }
  } finally {
    await runtime.close();
  }
}

/**
 * dbt's get_limit_subquery_sql: the query in a subquery under `limit n`, so the warehouse stops
 * at n rows whatever the query orders or limits itself. A negative limit sends it as it is.
 * Redshift takes an aliased subquery in FROM, with a WITH of its own, and `LIMIT number`
 * (https://docs.aws.amazon.com/redshift/latest/dg/r_FROM_clause30.html,
 * https://docs.aws.amazon.com/redshift/latest/dg/r_SELECT_synopsis.html); only a WITH inside a
 * WITH clause's subquery is refused (https://docs.aws.amazon.com/redshift/latest/dg/r_WITH_clause.html).
 */
export function limitedQuery(sql: string, limit: number): string {
  // A trailing semicolon would end the statement inside the subquery.
  const body = sql.trim().replace(/;+\s*$/, '');
  if (limit < 0) return body;
  return `select *\nfrom (\n${body}\n) as model_limit_subq\nlimit ${limit}`;
}

function selectOne(manifest: ReturnType<typeof compileInputs>['compiled']['manifest'], options: ShowOptions): AnyNode {
  // Only what was named: tests do not come along with a model (indirect selection off).
  const selection = selectNodes(manifest, { select: options.select, exclude: options.exclude, indirectSelection: 'empty' });
  const nodes = selection.selected.map((id) => getNode(manifest, id)!).filter((node) => SHOWABLE.has(node.resource_type));
  const flags = `--select ${options.select.join(' ')}`;
  if (nodes.length === 0) {
    const hint = selection.warnings.length > 0 ? ` (${selection.warnings.join('; ')})` : '';
    throw new ConfigError(`show: ${flags} selects no model, seed, snapshot or test${hint}; name one, e.g. --select stg_orders`);
  }
  if (nodes.length > 1) {
    const names = nodes.slice(0, 5).map((node) => node.name);
    const more = nodes.length > 5 ? `, … (${nodes.length - 5} more)` : '';
    throw new ConfigError(`show: ${flags} selects ${nodes.length} nodes (${names.join(', ')}${more}); show previews one node, name just one`);
  }
  return nodes[0]!;
}

/** The --inline query as a model of the project, so ref(), source() and macros work in it as in a model. */
function withInlineModel(inputs: CompileInputs, sql: string): CompileInputs {
  const folder = projectPaths(inputs.project).models[0] ?? 'models';
  const path = `${folder}/${INLINE_NODE_NAME}.sql`;
  if (inputs.files.models.some((file) => file.path.endsWith(`/${INLINE_NODE_NAME}.sql`))) {
    throw new ConfigError(`show --inline: the project has a model named ${INLINE_NODE_NAME}, the name an inline query takes; rename that model`);
  }
  return { ...inputs, files: { ...inputs.files, models: [...inputs.files.models, { path, text: sql }] } };
}

function inlineId(inputs: CompileInputs): string {
  return `model.${inputs.project.name}.${INLINE_NODE_NAME}`;
}
