// Catalog queries both warehouses answer alike: Redshift keeps PostgreSQL's pg_catalog and
// format_type(). (The Data API's own DescribeTable gives short names such as varchar and int4
// with lengths apart, not the text drift detection compares, e.g. character varying(80).)

/** Columns of `$1`.`$2` in order, as `{ name, type }` with format_type() text. */
export const DESCRIBE_TABLE_SQL = `select a.attname as name, format_type(a.atttypid, a.atttypmod) as type
  from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
 where n.nspname = $1 and c.relname = $2 and a.attnum > 0 and not a.attisdropped
 order by a.attnum`;

/** Every table and view outside the system schemas, as `{ schema_name, relation_name }`. */
export const LIST_RELATIONS_SQL = `select n.nspname as schema_name, c.relname as relation_name
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
 where c.relkind in ('r', 'v', 'm', 'p', 'f') and n.nspname not in ('pg_catalog', 'information_schema')`;

/** Redshift: each column's encoding and dist/sort-key role in `$1`.`$2`. */
export const COLUMN_STORAGE_SQL = `select column_name as name, encoding, distkey, sortkey
  from svv_redshift_columns
 where database_name = current_database() and schema_name = $1 and table_name = $2`;

/**
 * The kind of relation `$1`.`$2` is, as `{ relkind }` (r, p table; v view; m materialized view), no row when absent.
 * Redshift keeps PostgreSQL's pg_class and pg_namespace as catalog tables:
 * https://docs.aws.amazon.com/redshift/latest/dg/c_join_PG_examples.html
 */
export const RELATION_KIND_SQL = `select c.relkind::text as relkind
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
 where n.nspname = $1 and c.relname = $2 and c.relkind in ('r', 'p', 'v', 'm', 'f')`;
