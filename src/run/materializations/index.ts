// How each node type is built in the warehouse: models (view, table, incremental, ephemeral),
// seeds and data tests, on PostgreSQL and Redshift alike.

export { materialize, type MaterializeOptions, type MaterializeResult } from './materialize.js';
export { loadSeed, readSeed, type SeedLoadResult } from './seed.js';
export { buildSnapshot, type SnapshotResult } from './snapshot.js';
export { runDataTest, dataTestQuery, limitedTestSql, type DataTestResult, type DataTestStatus } from './data-test.js';
export { ContractError, MaterializationError, SchemaChangeError } from './materialization-error.js';
export type { AuditScope, AuditVerdict, AuditedTest, Publication, RelationName } from './publication.js';
export { readViewDefinitions } from './view-definitions.js';
