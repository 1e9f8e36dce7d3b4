// One column of a source table as extract reads it from the catalog and batch.json records
// it: what load maps to a warehouse type.

export interface SourceColumn {
  readonly name: string;
  /** format_type() text, e.g. `numeric(38,10)`, `character varying(20)`, `text[]`. */
  readonly type: string;
  /** pg_type.typname of the column's own type (`int4`, `_text`, `mood`, `email_domain`). */
  readonly udt: string;
  /** `base` | `enum` | `domain` | `composite` | `range` | `multirange` | `pseudo`. */
  readonly kind: string;
  /** pg_type.typcategory: `A` array, `N` numeric, `S` string, `D` date/time, … */
  readonly category: string;
  /** For domains: the underlying type; for arrays: the element type. */
  readonly baseType?: string;
  readonly nullable: boolean;
  /** The type (or, for arrays, its element type) ships with PostgreSQL (lives in pg_catalog). */
  readonly builtin: boolean;
}
