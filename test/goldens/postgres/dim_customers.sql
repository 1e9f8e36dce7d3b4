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
customers as (
    select * from "analytics_staging"."stg_customers"
),

orders as (
    select customer_id, count(*) as paid_orders, sum(items_total) as lifetime_value
    from __pgshift_eph__int_paid_orders
    group by customer_id
)

select
    customers.customer_id,
    customers.city,
    countries.name as country,
    coalesce(orders.paid_orders, 0) as paid_orders,
    coalesce(orders.lifetime_value, 0) as lifetime_value,
    cast(now() at time zone 'utc' as timestamp) as built_at
from customers
left join orders using (customer_id)
left join "analytics"."country_codes" as countries on countries.code = customers.country_code
