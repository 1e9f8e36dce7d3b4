-- one transaction
alter table "snapshots"."customers_snapshot" add column "region" character varying(8);
insert into "snapshots"."customers_snapshot" ("id", "name", "updated_at", "region", "dbt_scd_id", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to", "dbt_is_deleted")
select src."id", src."name", src."updated_at", src."region", md5(coalesce(cast(src."id" as varchar), '') || '|' || coalesce(cast(cast(src."updated_at" as timestamp) as varchar), '')), cast(src."updated_at" as timestamp), cast(src."updated_at" as timestamp), cast(null as timestamp), cast('False' as varchar(5))
  from "snapshots"."customers_snapshot__pgshift_snap" as src
  left join "snapshots"."customers_snapshot" as cur on cur."id" = src."id" and cur.dbt_valid_to is null
 where cur."id" is null or cast(src."updated_at" as timestamp) > cur.dbt_updated_at or cur.dbt_is_deleted = 'True';
update "snapshots"."customers_snapshot"
   set dbt_valid_to = case when dbt_is_deleted = 'True' then cast($1 as timestamp) else cast(src."updated_at" as timestamp) end
  from "snapshots"."customers_snapshot__pgshift_snap" as src
 where "customers_snapshot"."id" = src."id"
   and "customers_snapshot".dbt_valid_to is null
   and (cast(src."updated_at" as timestamp) > "customers_snapshot".dbt_updated_at or "customers_snapshot".dbt_is_deleted = 'True');
-- params: ["2024-01-02 00:00:00.000"]
insert into "snapshots"."customers_snapshot" ("id", "name", "updated_at", "region", "dbt_scd_id", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to", "dbt_is_deleted")
select cur."id", cur."name", cur."updated_at", cur."region", md5(coalesce(cast(cur."id" as varchar), '') || '|' || coalesce(cast(cast($1 as timestamp) as varchar), '') || '|' || coalesce(cast('deleted' as varchar), '')), cast($1 as timestamp), cast($1 as timestamp), cast(null as timestamp), cast('True' as varchar(5))
  from "snapshots"."customers_snapshot" as cur
 where cur.dbt_valid_to is null and not cur.dbt_is_deleted = 'True' and not exists (select 1 from "snapshots"."customers_snapshot__pgshift_snap" as src where src."id" = cur."id");
-- params: ["2024-01-02 00:00:00.000"]
update "snapshots"."customers_snapshot"
   set dbt_valid_to = cast($1 as timestamp)
 where "customers_snapshot".dbt_valid_to is null
   and not "customers_snapshot".dbt_is_deleted = 'True'
   and not exists (select 1 from "snapshots"."customers_snapshot__pgshift_snap" as src where src."id" = "customers_snapshot"."id");
-- params: ["2024-01-02 00:00:00.000"]
drop table "snapshots"."customers_snapshot__pgshift_snap";
-- commit
