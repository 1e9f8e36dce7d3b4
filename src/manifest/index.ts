// The manifest model: the compiled graph of sources, seeds, models and tests that compile/
// produces and graph/, run/ and governance/ read. Types and pure lookups only.

export type * from './manifest.js';
export { allNodes, getNode } from './manifest.js';
export { dbtUniqueId, internalUniqueId } from './dbt-unique-id.js';
export type { ModelConfig, SeedConfig, SnapshotConfig, TestConfig, SourceConfig, Materialization, IncrementalStrategy } from './node-config.js';
export { defaultSchemaName, relationKey } from './schema-naming.js';
export type { NodeRenderer, RenderedNode, RunTimeFacts } from './node-renderer.js';
export { GOVERNANCE_TAG, isGovernanceTest } from './governance-tests.js';
export { relationOf } from './relation-of.js';
export { failuresRelationKind, storedFailuresAs, TEST_AUDIT_SCHEMA } from './test-failures.js';
export type { IntrospectedColumn, IntrospectionAnswer, IntrospectionFacts, IntrospectionRequest, QueryTable } from './introspection.js';
export { NeedsIntrospection, requestKey } from './introspection.js';
export { MAX_INTROSPECTION_CALLS, renderOperationWithIntrospection, renderWithIntrospection } from './render-with-introspection.js';
export type { Operation, OperationRenderer, RenderedOperation } from './operation-renderer.js';
export { describeRunHook, runHooksOf, type RunHook, type RunHookKind } from './run-hooks.js';
