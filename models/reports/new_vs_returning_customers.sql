{{ config(sort=['order_date']) }}

-- Customers who ordered on each UTC day, split by whether that day was their first order day
-- (new) or they had ordered on an earlier day (returning). Cancelled and deleted orders are left out,
-- also when finding a customer's first order day. A customer counts once per day.

with

orders as (

    select * from {{ ref('fct_orders') }}
    where not is_cancelled
        and not is_deleted

),

first_orders as (

    select
        customer_id,
        min(order_date) as first_order_date
    from orders
    group by customer_id

),

customer_days as (

    select distinct
        orders.order_date,
        orders.customer_id,
        first_orders.first_order_date
    from orders
    inner join first_orders
        on first_orders.customer_id = orders.customer_id

),

final as (

    select
        cast(order_date as date) as order_date,
        cast(sum(case when order_date = first_order_date then 1 else 0 end) as bigint) as new_customers,
        cast(sum(case when order_date > first_order_date then 1 else 0 end) as bigint) as returning_customers
    from customer_days
    group by order_date

)

select * from final
