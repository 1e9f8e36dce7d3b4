create schema if not exists "analytics";

-- one transaction
drop table if exists "analytics"."fct_orders__pgshift_incr" cascade;
-- commit

create table "analytics"."fct_orders__pgshift_incr" backup no as
select order_id, customer_id, order_date, status, amount
from "staging"."stg_orders"
-- the select may end in a comment
;

-- then, with the columns of fct_orders and fct_orders__pgshift_incr read from the catalog:
-- one transaction
merge into "analytics"."fct_orders"
using "analytics"."fct_orders__pgshift_incr" as source
   on "fct_orders"."order_id" = source."order_id"
 when matched then update set "customer_id" = source."customer_id", "order_date" = source."order_date", "status" = source."status", "amount" = source."amount"
 when not matched then insert ("order_id", "customer_id", "order_date", "status", "amount") values (source."order_id", source."customer_id", source."order_date", source."status", source."amount");
drop table "analytics"."fct_orders__pgshift_incr";
-- commit
