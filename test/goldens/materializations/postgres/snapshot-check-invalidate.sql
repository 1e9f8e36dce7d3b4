-- one transaction
alter table "snapshots"."customers_snapshot" add column "region" character varying(8);
insert into "snapshots"."customers_snapshot" ("id", "name", "updated_at", "region", "dbt_scd_id", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to")
select src."id", src."name", src."updated_at", src."region", md5(coalesce(cast(src."id" as varchar), '') || '|' || coalesce(cast(cast($1 as timestamp) as varchar), '')), cast($1 as timestamp), cast($1 as timestamp), cast(null as timestamp)
  from "snapshots"."customers_snapshot__pgshift_snap" as src
  left join "snapshots"."customers_snapshot" as cur on cur."id" = src."id" and cur.dbt_valid_to is null
 where cur."id" is null or (not (coalesce(cur."name" = src."name", false) or (cur."name" is null and src."name" is null)));
-- params: ["2024-01-02 00:00:00.000"]
update "snapshots"."customers_snapshot"
   set dbt_valid_to = cast($1 as timestamp)
  from "snapshots"."customers_snapshot__pgshift_snap" as src
 where "customers_snapshot"."id" = src."id"
   and "customers_snapshot".dbt_valid_to is null
   and ((not (coalesce("customers_snapshot"."name" = src."name", false) or ("customers_snapshot"."name" is null and src."name" is null))));
-- params: ["2024-01-02 00:00:00.000"]
update "snapshots"."customers_snapshot"
   set dbt_valid_to = cast($1 as timestamp)
 where "customers_snapshot".dbt_valid_to is null
   and not exists (select 1 from "snapshots"."customers_snapshot__pgshift_snap" as src where src."id" = "customers_snapshot"."id");
-- params: ["2024-01-02 00:00:00.000"]
drop table "snapshots"."customers_snapshot__pgshift_snap";
-- commit
