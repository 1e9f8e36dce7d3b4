with __pgshift_eph__int_order_totals as (
select
    order_id,
    sum(quantity * unit_price) as items_total
from "analytics_staging"."stg_order_items"
group by order_id
),
__pgshift_eph__int_paid_orders__totals as (
    select * from __pgshift_eph__int_order_totals
),
__pgshift_eph__int_paid_orders as (
select
    orders.*,
    __pgshift_eph__int_paid_orders__totals.items_total
from "analytics_staging"."stg_orders" as orders
join __pgshift_eph__int_paid_orders__totals using (order_id)
where orders.status in ('paid', 'shipped', 'delivered')
),
paid as (
    select * from __pgshift_eph__int_paid_orders
    
)

select
    order_id,
    customer_id,
    round(cast(items_total as numeric(18, 2)), 2) as order_total,
    items_total >= 100 as is_high_value,
    ordered_at,
    updated_at
from paid
where ordered_at >= '2024-03-01T00:00:00.000Z' and ordered_at < '2024-03-02T00:00:00.000Z'
