-- bind: true, replacing what used to be a table:
create schema if not exists "analytics";

-- one transaction
drop table "analytics"."customer_orders" cascade;
create view "analytics"."customer_orders" as
select order_id, customer_id, order_date, status, amount
from "staging"."stg_orders"
-- the select may end in a comment
;
-- commit
