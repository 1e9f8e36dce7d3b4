{{ config(sort=['order_date']) }}

-- Sales per UTC order day. Cancelled orders are not sales: they are left out of every figure
-- here (orders, units and revenue alike), so average_order_value is revenue per order that
-- counts. Pending, shipped and delivered orders count from the day they were placed.
--   revenue              net of discounts, EUR
--   average_order_value  revenue / orders, rounded to the cent

with

orders as (

    select * from {{ ref('fct_orders') }}
    where not is_cancelled
        and not is_deleted

),

daily as (

    select
        order_date,
        count(*) as orders,
        sum(quantity) as units,
        sum(revenue) as revenue
    from orders
    group by order_date

),

final as (

    select
        cast(order_date as date) as order_date,
        cast(orders as bigint) as orders,
        cast(units as bigint) as units,
        cast(revenue as numeric(18,2)) as revenue,
        cast(round(revenue / orders, 2) as numeric(18,2)) as average_order_value
    from daily

)

select * from final
