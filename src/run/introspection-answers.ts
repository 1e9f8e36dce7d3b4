// Answers a node's render-time warehouse calls (manifest/introspection.ts) through the
// Warehouse: the SQL of run_query() and statement blocks, a relation's kind, its columns.

import type { IntrospectionAnswer, IntrospectionRequest } from '../manifest/index.js';
import { RELATION_KIND_SQL } from '../warehouse/catalog-queries.js';
import type { Warehouse } from '../warehouse/warehouse.js';

const RELATION_TYPES = { r: 'table', p: 'table', f: 'table', v: 'view', m: 'materialized_view' } as const;

export function introspectionAnswers(warehouse: Warehouse, signal?: AbortSignal): (request: IntrospectionRequest) => Promise<IntrospectionAnswer> {
  return async (request) => {
    switch (request.kind) {
      case 'query': {
        const result = await warehouse.queryTable(request.sql, [], { signal });
        return { kind: 'query', table: result, rowsAffected: result.rowCount };
      }
      case 'relation': {
        const rows = await warehouse.query<{ relkind: keyof typeof RELATION_TYPES }>(RELATION_KIND_SQL, [request.schema, request.identifier], { signal });
        return { kind: 'relation', type: rows[0] ? RELATION_TYPES[rows[0].relkind] : undefined };
      }
      case 'columns':
        return { kind: 'columns', columns: (await warehouse.describeTable(request.schema, request.identifier)) ?? [] };
    }
  };
}
