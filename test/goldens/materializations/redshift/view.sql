create schema if not exists "analytics";

create or replace view "analytics"."customer_orders" as
select order_id, customer_id, order_date, status, amount
from "staging"."stg_orders"
-- the select may end in a comment
with no schema binding;

-- when CREATE OR REPLACE refuses the new column list:
-- one transaction
drop view "analytics"."customer_orders" cascade;
create view "analytics"."customer_orders" as
select order_id, customer_id, order_date, status, amount
from "staging"."stg_orders"
-- the select may end in a comment
with no schema binding;
-- commit
