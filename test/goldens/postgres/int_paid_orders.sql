with __pgshift_eph__int_order_totals as (
select
    order_id,
    sum(quantity * unit_price) as items_total
from "analytics_staging"."stg_order_items"
group by order_id
),
totals as (
    select * from __pgshift_eph__int_order_totals
)

select
    orders.*,
    totals.items_total
from "analytics_staging"."stg_orders" as orders
join totals using (order_id)
where orders.status in ('paid', 'shipped', 'delivered')
