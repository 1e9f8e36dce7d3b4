create schema if not exists "analytics";

-- one transaction
drop table if exists "analytics"."fct_orders__pgshift_tmp" cascade;
drop table if exists "analytics"."fct_orders__pgshift_backup" cascade;
-- commit

create table "analytics"."fct_orders__pgshift_tmp" as
select order_id, customer_id, order_date, status, amount
from "staging"."stg_orders"
-- the select may end in a comment
;

create unique index "fct_orders__pgshift_tmp__order_id__eb5afc1d" on "analytics"."fct_orders__pgshift_tmp" using btree ("order_id");

create index "fct_orders__pgshift_tmp__customer_id_order_date__7446f05a" on "analytics"."fct_orders__pgshift_tmp" using btree ("customer_id", "order_date");

create index "fct_orders__pgshift_tmp__order_date__a8cc995a" on "analytics"."fct_orders__pgshift_tmp" using brin ("order_date");

-- then, replacing the existing view:
-- one transaction
drop view "analytics"."fct_orders" cascade;
alter table "analytics"."fct_orders__pgshift_tmp" rename to "fct_orders";
alter index "analytics"."fct_orders__pgshift_tmp__order_id__eb5afc1d" rename to "fct_orders__order_id__eb5afc1d";
alter index "analytics"."fct_orders__pgshift_tmp__customer_id_order_date__7446f05a" rename to "fct_orders__customer_id_order_date__7446f05a";
alter index "analytics"."fct_orders__pgshift_tmp__order_date__a8cc995a" rename to "fct_orders__order_date__a8cc995a";
-- commit
