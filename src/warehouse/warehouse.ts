// The one interface every warehouse implements: PostgreSQL locally (pg), Redshift in
// production (Data API). Loaders, the model runner and governance code talk only to this.

export type Dialect = 'postgres' | 'redshift';

export interface StatementOptions {
  readonly signal?: AbortSignal;
}

export interface ExecuteResult {
  /** Rows inserted/updated/deleted (or loaded, for COPY); -1 when the warehouse does not say. */
  readonly rowCount: number;
}

export interface WarehouseColumn {
  readonly name: string;
  /** format_type() text, e.g. `character varying(80)`, `numeric(12,2)`, `timestamp with time zone`. */
  readonly type: string;
  /** Redshift only, and only where a schema change asked for it (describeColumnStorage). */
  readonly storage?: ColumnStorage;
}

/** How Redshift stores a column: what limits ALTER TABLE on it. */
export interface ColumnStorage {
  /** lower case: `lzo`, `zstd`, `bytedict`, `raw`, … */
  readonly encoding?: string;
  readonly distKey: boolean;
  /** Position in the sort key; 0 when the column is not part of it. */
  readonly sortKey: number;
}

/** One batch to load: delete-then-copy (or replace the whole table) in one transaction. */
export interface BatchLoadRequest {
  readonly schema: string;
  readonly table: string;
  /** Columns in file order (source columns then the two metadata columns). */
  readonly columns: readonly string[];
  readonly batchIdColumn: string;
  readonly batchId: string;
  /** `batch`: replace this batch's rows; `table`: replace the whole table atomically. */
  readonly replace: 'batch' | 'table';
  readonly expectedRows: number;
  readonly bucket: string;
  readonly manifestKey: string;
  readonly parts: readonly { readonly key: string; readonly bytes: number }[];
  /** Statements run in the same transaction after the rows are verified (the batch record). */
  readonly afterLoad: readonly Statement[];
  /**
   * Tables other loads write too (pgshift_meta.batches), as [schema, table]: locked first, with
   * the loaded table, where the warehouse needs that to serialize concurrent loads (Redshift).
   */
  readonly sharedTables?: readonly (readonly [string, string])[];
}

/** A working table filled from gzipped CSV parts (the key scan of a batch), created anew. */
export interface ScratchTableRequest {
  readonly schema: string;
  readonly table: string;
  /** Column names and warehouse types, in file order. */
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  readonly expectedRows: number;
  readonly bucket: string;
  readonly manifestKey: string;
  readonly parts: readonly { readonly key: string; readonly bytes: number }[];
}

/** A query's result in column order (names may repeat, as in `select 1 as a, 2 as a`). */
export interface TableResult {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
  /** Rows inserted/updated/deleted for DML; the row count for a query; -1 when unknown. */
  readonly rowCount: number;
}

export interface Statement {
  readonly sql: string;
  readonly params?: readonly unknown[];
}

export interface Warehouse {
  readonly dialect: Dialect;
  /** Runs one statement; `$1…$n` placeholders take `params`. */
  execute(sql: string, params?: readonly unknown[], options?: StatementOptions): Promise<ExecuteResult>;
  /** Runs one query and returns its rows as plain objects keyed by column name. */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[], options?: StatementOptions): Promise<Row[]>;
  /**
   * Runs one statement and returns its result as columns and row arrays, dates and times as the
   * warehouse prints them: what templates read at run time (run_query, statement blocks).
   */
  queryTable(sql: string, params?: readonly unknown[], options?: StatementOptions): Promise<TableResult>;
  /** Runs statements in one transaction: all or nothing. */
  transaction(statements: readonly Statement[], options?: StatementOptions): Promise<ExecuteResult[]>;
  /** Loads one extracted batch; rolls back and throws a LoadError when counts differ. */
  loadBatch(request: BatchLoadRequest, options?: StatementOptions): Promise<{ rows: number }>;
  /** Drops and creates the scratch table, loads its parts and checks the count: one transaction. */
  loadScratchTable(request: ScratchTableRequest, options?: StatementOptions): Promise<void>;
  /** Columns of a table, or undefined when it does not exist. */
  describeTable(schema: string, table: string): Promise<WarehouseColumn[] | undefined>;
  /** Encoding and dist/sort-key role of each column (Redshift); empty when unknown. */
  describeColumnStorage?(schema: string, table: string): Promise<ReadonlyMap<string, ColumnStorage>>;
  close(): Promise<void>;
}
