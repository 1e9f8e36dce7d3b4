-- one transaction
drop table if exists "snapshots"."customers_snapshot__pgshift_snap" cascade;
-- commit

create table "snapshots"."customers_snapshot__pgshift_snap" backup no as
select * from "raw"."customers";

-- one transaction
create table "snapshots"."customers_snapshot" as
select src."id",
       src."name",
       src."updated_at",
       md5(coalesce(cast(src."id" as varchar), '') || '|' || coalesce(cast(cast(src."updated_at" as timestamp) as varchar), '')) as dbt_scd_id,
       cast(src."updated_at" as timestamp) as dbt_updated_at,
       cast(src."updated_at" as timestamp) as dbt_valid_from,
       cast(null as timestamp) as dbt_valid_to
  from "snapshots"."customers_snapshot__pgshift_snap" as src;
drop table "snapshots"."customers_snapshot__pgshift_snap";
-- commit
