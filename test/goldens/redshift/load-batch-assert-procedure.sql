-- One BatchExecuteStatement: a single transaction, all or nothing.

create schema if not exists pgshift_meta;

create or replace procedure pgshift_meta.assert_loaded_rows(schema_name varchar, table_name varchar, batch_column varchar, batch_id varchar, expected bigint)
as $$
declare
  loaded bigint;
begin
  execute 'select count(*) from ' || quote_ident(schema_name) || '.' || quote_ident(table_name)
    || ' where ' || quote_ident(batch_column) || ' = ' || quote_literal(batch_id)
    into loaded;
  if loaded <> expected then
    raise exception 'loaded % rows into %.% for batch %, but batch.json counts %', loaded, schema_name, table_name, batch_id, expected;
  end if;
end;
$$ language plpgsql;
