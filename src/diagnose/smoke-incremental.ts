// The incremental check of `pgshift smoke`: a model over the smoke table, compiled and built by
// the model engine, then rebuilt incrementally after a row changed and a row arrived. The
// merge must update the one, insert the other and leave every key once.

import { compileProject } from '../compile/index.js';
import type { StagingSettings } from '../config/project.js';
import { relationKey } from '../manifest/index.js';
import { materialize } from '../run/materializations/index.js';
import { quoteIdent, quoteLiteral, quoteQualified } from '../sql/quote-ident.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { SMOKE_ROW_COUNT, SMOKE_TABLE, smokeProject } from './smoke-round-trip.js';

export const SMOKE_MODEL = 'pgshift_smoke_incremental';

const MODEL_SQL = (source: string): string => `{{ config(materialized='incremental', unique_key='id') }}
select id, note, amount
from {{ source('${source}', '${SMOKE_TABLE}') }}
{% if is_incremental() %}
where id >= 5
{% endif %}
`;

export interface IncrementalContext {
  readonly warehouse: Warehouse;
  readonly schema: string;
  readonly sourceName: string;
  readonly staging: StagingSettings;
}

/** Builds the model twice; returns what is wrong, or undefined when the merge did what it should. */
export async function smokeIncrementalMerge(context: IncrementalContext): Promise<string | undefined> {
  const { warehouse, schema } = context;
  const project = smokeProject(context);
  const compiled = compileProject(
    {
      project,
      models: [{ path: `models/${SMOKE_MODEL}.sql`, text: MODEL_SQL(context.sourceName) }],
      macros: [],
      schemaFiles: [],
      seeds: [],
      singularTests: [],
      selectors: null,
    },
    { target: { name: 'smoke', type: warehouse.dialect, schema }, vars: {}, env: {} },
  );
  const id = `model.pgshift_smoke.${SMOKE_MODEL}`;
  const node = compiled.manifest.nodes[id];
  if (node?.resource_type !== 'model') throw new Error(`the smoke model did not compile to ${id}`);
  const existing = new Set<string>();
  const build = async (): Promise<void> => {
    const rendered = compiled.render(id, { relationExists: (s, identifier) => existing.has(relationKey(s, identifier)) });
    await materialize(warehouse, node, rendered.compiled_code, { fullRefresh: false });
    existing.add(relationKey(node.schema, node.alias));
  };

  await build();
  const raw = quoteQualified(schema, SMOKE_TABLE);
  await warehouse.transaction([
    { sql: `update ${raw} set ${quoteIdent('note')} = ${quoteLiteral('merged')} where ${quoteIdent('id')} = 5` },
    { sql: `insert into ${raw} (${quoteIdent('id')}, ${quoteIdent('note')}) values (${SMOKE_ROW_COUNT + 1}, ${quoteLiteral('arrived')})` },
  ]);
  await build();

  const model = quoteQualified(node.schema, node.alias);
  const [counts] = await warehouse.query<{ total: number | string; keys: number | string }>(
    `select count(*) as total, count(distinct ${quoteIdent('id')}) as keys from ${model}`,
  );
  const changed = await warehouse.query<{ id: number; note: string | null }>(
    `select ${quoteIdent('id')}, ${quoteIdent('note')} from ${model} where ${quoteIdent('id')} in (4, 5, ${SMOKE_ROW_COUNT + 1}) order by ${quoteIdent('id')}`,
  );
  const expectedRows = SMOKE_ROW_COUNT + 1;
  if (Number(counts?.total) !== expectedRows || Number(counts?.keys) !== expectedRows) {
    return `after the incremental build the model holds ${counts?.total} rows for ${counts?.keys} keys, not ${expectedRows} for ${expectedRows}`;
  }
  const notes = changed.map((row) => row.note);
  if (notes[1] !== 'merged' || notes[2] !== 'arrived' || notes[0] !== 'back\\slash \\N and \\\\N') {
    return `the merge left notes ${JSON.stringify(notes)} for ids 4, 5, ${expectedRows}; expected the untouched row, 'merged' and 'arrived'`;
  }
  return undefined;
}
