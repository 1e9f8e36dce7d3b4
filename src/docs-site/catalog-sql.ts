// The catalog query of each warehouse: every column of every relation in one schema (`$1`),
// with the relation's kind, owner and approximate row count. Both answer with the same columns:
// table_name, table_type, table_owner, column_name, column_index, column_type, row_count.

/**
 * PostgreSQL: information_schema.columns for the columns, pg_class for the kind, owner and row
 * estimate. reltuples is -1 until the table is first vacuumed or analyzed, so a table built
 * since then is counted by the statistics collector's n_live_tup instead.
 */
export const POSTGRES_CATALOG_SQL = `select col.table_name,
       case c.relkind when 'v' then 'VIEW' when 'm' then 'MATERIALIZED VIEW' when 'f' then 'FOREIGN TABLE' else 'BASE TABLE' end as table_type,
       pg_get_userbyid(c.relowner) as table_owner,
       col.column_name,
       col.ordinal_position as column_index,
       format_type(a.atttypid, a.atttypmod) as column_type,
       case when c.relkind in ('r', 'p', 'm') then coalesce(nullif(c.reltuples, -1)::bigint, s.n_live_tup) end as row_count
  from information_schema.columns col
  join pg_namespace n on n.nspname = col.table_schema
  join pg_class c on c.relnamespace = n.oid and c.relname = col.table_name
  join pg_attribute a on a.attrelid = c.oid and a.attname = col.column_name
  left join pg_stat_all_tables s on s.relid = c.oid
 where col.table_schema = $1
 order by col.table_name, col.ordinal_position`;

/**
 * Redshift: SVV_COLUMNS holds the columns of tables and of views, late-binding views included
 * (https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_COLUMNS.html); SVV_TABLES says which
 * relation is a view (https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_TABLES.html);
 * SVV_TABLE_INFO's tbl_rows counts a table's rows, those marked deleted and not yet vacuumed
 * included. It shows no empty table and only what the user may see (superusers, or a grant of
 * SELECT on it), so a missing row count is unknown, not zero
 * (https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_TABLE_INFO.html).
 */
export const REDSHIFT_CATALOG_SQL = `select col.table_name,
       coalesce(t.table_type, 'BASE TABLE') as table_type,
       null as table_owner,
       col.column_name,
       col.ordinal_position as column_index,
       case
         when col.character_maximum_length is not null then col.data_type || '(' || col.character_maximum_length || ')'
         when col.data_type = 'numeric' and col.numeric_precision is not null then 'numeric(' || col.numeric_precision || ',' || coalesce(col.numeric_scale, 0) || ')'
         else col.data_type
       end as column_type,
       i.tbl_rows as row_count
  from svv_columns col
  left join svv_tables t on t.table_schema = col.table_schema and t.table_name = col.table_name
  left join svv_table_info i on i."schema" = col.table_schema and i."table" = col.table_name
 where col.table_schema = $1
 order by col.table_name, col.ordinal_position`;
