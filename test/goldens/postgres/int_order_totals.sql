select
    order_id,
    sum(quantity * unit_price) as items_total
from "analytics_staging"."stg_order_items"
group by order_id
