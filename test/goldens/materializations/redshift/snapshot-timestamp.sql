-- one transaction
alter table "snapshots"."customers_snapshot" add column "region" character varying(8);
insert into "snapshots"."customers_snapshot" ("id", "name", "updated_at", "region", "dbt_scd_id", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to")
select src."id", src."name", src."updated_at", src."region", md5(coalesce(cast(src."id" as varchar), '') || '|' || coalesce(cast(cast(src."updated_at" as timestamp) as varchar), '')), cast(src."updated_at" as timestamp), cast(src."updated_at" as timestamp), cast(null as timestamp)
  from "snapshots"."customers_snapshot__pgshift_snap" as src
  left join "snapshots"."customers_snapshot" as cur on cur."id" = src."id" and cur.dbt_valid_to is null
 where cur."id" is null or cast(src."updated_at" as timestamp) > cur.dbt_updated_at;
update "snapshots"."customers_snapshot"
   set dbt_valid_to = cast(src."updated_at" as timestamp)
  from "snapshots"."customers_snapshot__pgshift_snap" as src
 where "customers_snapshot"."id" = src."id"
   and "customers_snapshot".dbt_valid_to is null
   and (cast(src."updated_at" as timestamp) > "customers_snapshot".dbt_updated_at);
drop table "snapshots"."customers_snapshot__pgshift_snap";
-- commit
