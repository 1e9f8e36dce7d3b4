-- the model gained `discount`, lost `customer_id`, widened `status` and made `amount` double precision
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
alter table "analytics"."fct_orders" alter column "status" type character varying(40);

-- one transaction
alter table "analytics"."fct_orders" add column "discount" numeric(5,2);
alter table "analytics"."fct_orders" drop column "customer_id";
alter table "analytics"."fct_orders" add column "amount__pgshift_type" double precision;
update "analytics"."fct_orders" set "amount__pgshift_type" = "amount"::double precision;
alter table "analytics"."fct_orders" drop column "amount";
alter table "analytics"."fct_orders" rename column "amount__pgshift_type" to "amount";
merge into "analytics"."fct_orders"
using "analytics"."fct_orders__pgshift_incr" as source
   on "fct_orders"."order_id" = source."order_id"
 when matched then update set "order_date" = source."order_date", "status" = source."status", "amount" = source."amount", "discount" = source."discount"
 when not matched then insert ("order_id", "order_date", "status", "amount", "discount") values (source."order_id", source."order_date", source."status", source."amount", source."discount");
drop table "analytics"."fct_orders__pgshift_incr";
-- commit
