-- All-time sales per product, every product of the catalogue included (those never sold with
-- zeros). Cancelled and deleted orders are left out. revenue_rank ranks by revenue, highest first; equal
-- revenues share a rank (RANK), so the report orders by (revenue_rank, product_id).
--   orders   distinct orders with the product on at least one line
--   units    units on those lines; revenue their net amount (EUR)

with

products as (

    select * from {{ ref('dim_products') }}

),

lines as (

    select
        fct_sales.product_id,
        fct_sales.order_id,
        fct_sales.quantity,
        fct_sales.net_amount
    from {{ ref('fct_sales') }} as fct_sales
    inner join {{ ref('fct_orders') }} as fct_orders
        on fct_orders.order_id = fct_sales.order_id
        and fct_orders.customer_id = fct_sales.customer_id
    where not fct_orders.is_cancelled
        and not fct_orders.is_deleted
        and not fct_sales.is_deleted

),

product_sales as (

    select
        product_id,
        count(distinct order_id) as orders,
        sum(quantity) as units,
        sum(net_amount) as revenue
    from lines
    group by product_id

),

final as (

    select
        products.product_id,
        products.product_name,
        products.category,
        cast(coalesce(product_sales.orders, 0) as bigint) as orders,
        cast(coalesce(product_sales.units, 0) as bigint) as units,
        cast(coalesce(product_sales.revenue, 0) as numeric(18,2)) as revenue,
        cast(rank() over (order by coalesce(product_sales.revenue, 0) desc) as bigint) as revenue_rank
    from products
    left join product_sales
        on product_sales.product_id = products.product_id

)

select * from final
