-- One row per customer with at least one order that counts (cancelled orders are left out).
--   revenue         net revenue to date (EUR)
--   lifetime_value  projected value over var('clv_lifespan_months') (12) months: average
--                   order value × orders per month × lifespan, i.e.
--                   revenue × lifespan_months × 30 / tenure_days, where tenure_days runs from
--                   the first order to the last day the run covers, at least 30 days so that
--                   a customer who ordered yesterday is not projected from one day.
-- The as-of day is the run's last day, not today, so a re-run of a day gives the same values.

{%- set lifespan_months = var('clv_lifespan_months', 12) | int %}

with

orders as (

    select * from {{ ref('fct_orders') }}
    where not is_cancelled
        and not is_deleted

),

customer_orders as (

    select
        customer_id,
        min(order_date) as first_order_date,
        max(order_date) as last_order_date,
        count(*) as orders,
        sum(revenue) as revenue
    from orders
    group by customer_id

),

tenure as (

    select
        *,
        {{ datediff('day', 'first_order_date', run_as_of_date()) }} + 1 as tenure_days
    from customer_orders

),

final as (

    select
        cast(customer_id as bigint) as customer_id,
        cast(first_order_date as date) as first_order_date,
        cast(last_order_date as date) as last_order_date,
        cast(orders as bigint) as orders,
        cast(revenue as numeric(18,2)) as revenue,
        cast(round(revenue * {{ lifespan_months * 30 }} / case when tenure_days > 30 then tenure_days else 30 end, 2) as numeric(18,2)) as lifetime_value
    from tenure

)

select * from final
