-- the model gained `discount` and lost `status`
create schema if not exists "analytics";

-- one transaction
drop table if exists "analytics"."fct_orders__pgshift_incr" cascade;
-- commit

create unlogged table "analytics"."fct_orders__pgshift_incr" as
select order_id, customer_id, order_date, status, amount
from "staging"."stg_orders"
-- the select may end in a comment
;

-- then, with the columns of fct_orders and fct_orders__pgshift_incr read from the catalog:
-- one transaction
alter table "analytics"."fct_orders" add column "discount" numeric(5,2);
delete from "analytics"."fct_orders"
 using "analytics"."fct_orders__pgshift_incr"
 where "fct_orders"."order_id" = "fct_orders__pgshift_incr"."order_id";
insert into "analytics"."fct_orders" ("order_id", "customer_id", "order_date", "amount", "discount")
select "order_id", "customer_id", "order_date", "amount", "discount"
  from "analytics"."fct_orders__pgshift_incr";
drop table "analytics"."fct_orders__pgshift_incr";
-- commit
