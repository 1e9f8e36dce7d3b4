// CREATE INDEX statements for a model's `indexes` config on PostgreSQL (as in dbt-postgres), with
// names derived from the table and the index definition so the same config gives the same name.
// Redshift has no indexes and ignores the key.

import { ConfigError } from '../../errors.js';
import type { ModelConfig } from '../../manifest/node-config.js';
import { quoteIdent, quoteQualified } from '../../sql/quote-ident.js';
import type { PlannedStatement } from './plan-step.js';
import { derivedName, shortHash } from './relation-names.js';

type IndexConfig = ModelConfig['indexes'][number];

// Access methods shipped with PostgreSQL; an extension's (e.g. bloom) would need adding here.
const INDEX_TYPES = new Set(['btree', 'hash', 'gin', 'gist', 'spgist', 'brin']);

/**
 * The index's name on `table`. Built on the temporary table, an index is renamed to its name on
 * the model during the swap, after the old table and its indexes are gone, so the two sets of
 * names never clash and every build ends with the same names.
 */
export function indexName(table: string, index: IndexConfig): string {
  const definition = JSON.stringify([index.columns, index.unique, index.type ?? 'btree']);
  return derivedName('postgres', `${table}__${index.columns.join('_')}`, `__${shortHash(definition)}`);
}

export function createIndexStatements(schema: string, table: string, indexes: readonly IndexConfig[], model: string): PlannedStatement[] {
  return indexes.map((index) => {
    const type = (index.type ?? 'btree').toLowerCase();
    if (!INDEX_TYPES.has(type)) {
      throw new ConfigError(`${model}: indexes: type '${index.type}' is not a PostgreSQL index type (use one of ${[...INDEX_TYPES].join(', ')})`, {
        model,
        key: 'indexes',
      });
    }
    const unique = index.unique ? 'unique ' : '';
    return {
      sql: `create ${unique}index ${quoteIdent(indexName(table, index))} on ${quoteQualified(schema, table)} using ${type} (${index.columns.map(quoteIdent).join(', ')})`,
    };
  });
}

/** Renames each index from its name on the temporary table to its name on the model. */
export function renameIndexStatements(schema: string, fromTable: string, toTable: string, indexes: readonly IndexConfig[]): PlannedStatement[] {
  return indexes.map((index) => ({
    sql: `alter index ${quoteQualified(schema, indexName(fromTable, index))} rename to ${quoteIdent(indexName(toTable, index))}`,
  }));
}
