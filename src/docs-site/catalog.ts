// target/catalog.json in dbt's catalog v1 shape: the warehouse's view of each relation the
// manifest names (kind, columns with types and positions, stats), keyed by unique_id as the
// manifest keys it. https://docs.getdbt.com/reference/artifacts/catalog-json

export interface CatalogColumn {
  readonly type: string;
  readonly index: number;
  readonly name: string;
  readonly comment: string | null;
}

export interface CatalogStat {
  readonly id: string;
  readonly label: string;
  readonly value: string | number | boolean | null;
  readonly include: boolean;
  readonly description: string;
}

export interface CatalogTable {
  readonly metadata: { type: string; schema: string; name: string; database: string | null; comment: string | null; owner: string | null };
  readonly columns: Record<string, CatalogColumn>;
  readonly stats: Record<string, CatalogStat>;
  readonly unique_id: string;
}

export interface Catalog {
  readonly metadata: {
    readonly dbt_schema_version: 'https://schemas.getdbt.com/dbt/catalog/v1.json';
    readonly pgshift_version: string;
    readonly generated_at: string;
    readonly invocation_id: string;
    readonly env: Record<string, string>;
  };
  readonly nodes: Record<string, CatalogTable>;
  readonly sources: Record<string, CatalogTable>;
  readonly errors: string[] | null;
}
