create schema if not exists "analytics";

-- one transaction
drop table if exists "analytics"."fct_orders__pgshift_tmp" cascade;
drop table if exists "analytics"."fct_orders__pgshift_backup" cascade;
drop table if exists "analytics"."fct_orders__pgshift_stage" cascade;
-- commit

create unlogged table "analytics"."fct_orders__pgshift_stage" as
select order_id, customer_id, order_date, status, amount
from "staging"."stg_orders"
-- the select may end in a comment
;

-- then the periods present in the staged rows:
select distinct to_char(date_trunc('month', "order_date"), 'YYYY-MM-DD HH24:MI:SS') as period
  from "analytics"."fct_orders__pgshift_stage"
 where "order_date" is not null and isfinite("order_date")
 order by 1;

-- which found 2024-01, 2024-02 and 2024-12:
create table "analytics"."fct_orders__pgshift_tmp" (like "analytics"."fct_orders__pgshift_stage") partition by range ("order_date");

-- one transaction
create table "analytics"."fct_orders__pgshift_tmp__p2024_01" partition of "analytics"."fct_orders__pgshift_tmp" for values from ('2024-01-01') to ('2024-02-01');
create table "analytics"."fct_orders__pgshift_tmp__p2024_02" partition of "analytics"."fct_orders__pgshift_tmp" for values from ('2024-02-01') to ('2024-03-01');
create table "analytics"."fct_orders__pgshift_tmp__p2024_12" partition of "analytics"."fct_orders__pgshift_tmp" for values from ('2024-12-01') to ('2025-01-01');
create table "analytics"."fct_orders__pgshift_tmp__pdefault" partition of "analytics"."fct_orders__pgshift_tmp" default;
-- commit

insert into "analytics"."fct_orders__pgshift_tmp"
select * from "analytics"."fct_orders__pgshift_stage";

drop table "analytics"."fct_orders__pgshift_stage";

-- one transaction
create unique index "fct_orders__pgshift_tmp__p2024_01__order_id__a3885d59__c7ed5b69" on "analytics"."fct_orders__pgshift_tmp__p2024_01" using btree ("order_id", "order_date");
create unique index "fct_orders__pgshift_tmp__p2024_02__order_id__c8092c58__c7ed5b69" on "analytics"."fct_orders__pgshift_tmp__p2024_02" using btree ("order_id", "order_date");
create unique index "fct_orders__pgshift_tmp__p2024_12__order_id__52b4b204__c7ed5b69" on "analytics"."fct_orders__pgshift_tmp__p2024_12" using btree ("order_id", "order_date");
create unique index "fct_orders__pgshift_tmp__pdefault__order_id__742ea26f__c7ed5b69" on "analytics"."fct_orders__pgshift_tmp__pdefault" using btree ("order_id", "order_date");
-- commit

create unique index "fct_orders__pgshift_tmp__order_id_order_date__c7ed5b69" on "analytics"."fct_orders__pgshift_tmp" using btree ("order_id", "order_date");

-- one transaction
alter table "analytics"."fct_orders" rename to "fct_orders__pgshift_backup";
alter table "analytics"."fct_orders__pgshift_tmp" rename to "fct_orders";
drop table "analytics"."fct_orders__pgshift_backup" cascade;
alter index "analytics"."fct_orders__pgshift_tmp__order_id_order_date__c7ed5b69" rename to "fct_orders__order_id_order_date__c7ed5b69";
alter index "analytics"."fct_orders__pgshift_tmp__p2024_01__order_id__a3885d59__c7ed5b69" rename to "fct_orders__p2024_01__order_id_order_date__c7ed5b69";
alter index "analytics"."fct_orders__pgshift_tmp__p2024_02__order_id__c8092c58__c7ed5b69" rename to "fct_orders__p2024_02__order_id_order_date__c7ed5b69";
alter index "analytics"."fct_orders__pgshift_tmp__p2024_12__order_id__52b4b204__c7ed5b69" rename to "fct_orders__p2024_12__order_id_order_date__c7ed5b69";
alter index "analytics"."fct_orders__pgshift_tmp__pdefault__order_id__742ea26f__c7ed5b69" rename to "fct_orders__pdefault__order_id_order_date__c7ed5b69";
alter table "analytics"."fct_orders__pgshift_tmp__p2024_01" rename to "fct_orders__p2024_01";
alter table "analytics"."fct_orders__pgshift_tmp__p2024_02" rename to "fct_orders__p2024_02";
alter table "analytics"."fct_orders__pgshift_tmp__p2024_12" rename to "fct_orders__p2024_12";
alter table "analytics"."fct_orders__pgshift_tmp__pdefault" rename to "fct_orders__pdefault";
-- commit
