create schema if not exists "analytics";

-- one transaction
drop table if exists "analytics"."fct_orders__pgshift_tmp" cascade;
drop table if exists "analytics"."fct_orders__pgshift_backup" cascade;
-- commit

create table "analytics"."fct_orders__pgshift_tmp" diststyle key distkey ("customer_id") compound sortkey ("order_date", "order_id") as
select order_id, customer_id, order_date, status, amount
from "staging"."stg_orders"
-- the select may end in a comment
;

-- then, replacing the existing table:
-- one transaction
alter table "analytics"."fct_orders" rename to "fct_orders__pgshift_backup";
alter table "analytics"."fct_orders__pgshift_tmp" rename to "fct_orders";
drop table "analytics"."fct_orders__pgshift_backup" cascade;
-- commit
