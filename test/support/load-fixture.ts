// A source database, a warehouse database and a bucket wired into a project, for tests that
// extract and load through the production code paths.

import type pg from 'pg';
import { parseProject } from '../../src/config/load-project.js';
import type { Project, SourceTable } from '../../src/config/project.js';
import { getPostgresConn } from '../../src/connections.js';
import { extractTableToS3 } from '../../src/extract/extract-table.js';
import type { Interval } from '../../src/batch/interval.js';
import { loadTableBatch, type LoadResult } from '../../src/load/load-batch.js';
import { PostgresWarehouse } from '../../src/warehouse/postgres-warehouse.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { createTestBucket, createTestDatabase, type TestBucket, type TestDatabase } from './test-env.js';

export interface LoadFixture {
  readonly source: pg.Pool;
  readonly warehouseDb: pg.Pool;
  readonly warehouseUrl: string;
  readonly bucket: TestBucket;
  project: Project;
  warehouse: Warehouse;
  table(id: string): SourceTable;
  /** Replaces the project's sources with `tables` (YAML under sources.<source>.tables). */
  useTables(tables: string, sourceSchema?: string, source?: string): void;
  extractAndLoad(id: string, interval: Interval): Promise<LoadResult>;
  close(): Promise<void>;
}

export async function createLoadFixture(name: string): Promise<LoadFixture> {
  const sourceDb: TestDatabase = await createTestDatabase(`${name}_src`);
  const warehouseDbInfo: TestDatabase = await createTestDatabase(`${name}_wh`);
  const bucket = await createTestBucket(name);
  const source = getPostgresConn({ connectionString: sourceDb.url });
  const warehouseDb = getPostgresConn({ connectionString: warehouseDbInfo.url });
  const fixture: LoadFixture = {
    source,
    warehouseDb,
    warehouseUrl: warehouseDbInfo.url,
    bucket,
    project: undefined as unknown as Project,
    warehouse: new PostgresWarehouse(getPostgresConn({ connectionString: warehouseDbInfo.url, max: 3 }), () => bucket.client),
    table(id) {
      const found = fixture.project.tables.find((table) => table.id === id);
      if (!found) throw new Error(`no table ${id} in the fixture project`);
      return found;
    },
    useTables(tables, sourceSchema = 'public', sourceName = 'shop') {
      fixture.project = parseProject(
        `name: ${name}
staging: { bucket: ${bucket.bucket}, prefix: batches }
targets: { dev: { type: postgres } }
sources:
  ${sourceName}:
    schema: '${sourceSchema.replaceAll("'", "''")}'
    tables:
${tables}`,
        'pgshift.yml',
      );
    },
    async extractAndLoad(id, interval) {
      const table = fixture.table(id);
      await extractTableToS3(table, interval, { source, s3: bucket.client, staging: fixture.project.staging });
      return loadTableBatch(table, interval, {
        warehouse: fixture.warehouse,
        s3: bucket.client,
        staging: fixture.project.staging,
        rawSchema: fixture.project.rawSchema,
      });
    },
    async close() {
      await fixture.warehouse.close();
      await source.end();
      await warehouseDb.end();
      await sourceDb.drop();
      await warehouseDbInfo.drop();
      await bucket.drop();
    },
  };
  return fixture;
}
