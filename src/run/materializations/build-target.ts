// What every model materialization works from: the dialect, where the model lives, its
// config and its compiled select, taken once from the manifest node.

import { ConfigError } from '../../errors.js';
import type { ModelNode } from '../../manifest/manifest.js';
import type { ModelConfig } from '../../manifest/node-config.js';
import { quoteIdent, quoteQualified } from '../../sql/quote-ident.js';
import type { Dialect } from '../../warehouse/warehouse.js';
import type { ContractSpec } from './contract-types.js';
import { single, type PlanStep } from './plan-step.js';

/** Where a relation pgshift builds lives; seeds and models alike. */
export interface RelationTarget {
  readonly dialect: Dialect;
  /** unique_id of the model or seed, for messages. */
  readonly model: string;
  readonly schema: string;
  readonly alias: string;
}

export interface BuildTarget extends RelationTarget {
  readonly config: ModelConfig;
  /** The compiled select, without a trailing `;`. */
  readonly sql: string;
  /** Present when the model enforces its contract (contract-check.ts, contract-ddl.ts). */
  readonly contract?: ContractSpec;
}

export function buildTarget(dialect: Dialect, node: ModelNode, sql: string): BuildTarget {
  const select = trimStatement(sql);
  if (select === '')
    throw new ConfigError(`${node.unique_id}: the compiled SQL is empty; a model must be a select`, { model: node.unique_id, file: node.original_file_path });
  const target = { dialect, model: node.unique_id, schema: node.schema, alias: node.alias, config: node.config, sql: select };
  return node.contract?.enforced ? { ...target, contract: contractSpec(node) } : target;
}

/** The declared columns: columns that PII lineage added to the node (no data_type) are not part of the contract. */
function contractSpec(node: ModelNode): ContractSpec {
  const columns = Object.values(node.columns).flatMap((column) =>
    column.data_type === null ? [] : [{ name: column.name, dataType: column.data_type, constraints: column.constraints }],
  );
  return { aliasTypes: node.contract.alias_types, columns, constraints: node.constraints, file: node.patch_path ?? node.original_file_path };
}

/** `"schema"."name"` of the model, or of a helper relation in the model's schema. */
export function qualified(target: { schema: string; alias: string }, name = target.alias): string {
  return quoteQualified(target.schema, name);
}

export function createSchemaStep(schema: string): PlanStep {
  return single(`create schema if not exists ${quoteIdent(schema)}`);
}

/**
 * The select ready to embed: trailing whitespace and semicolons removed. Embedding code always
 * puts a newline after it, so a select ending in a `-- comment` cannot swallow what follows.
 */
export function trimStatement(sql: string): string {
  return sql.replace(/[\s;]+$/u, '');
}
