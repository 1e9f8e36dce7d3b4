{{ config(
    materialized='incremental',
    unique_key='sale_id',
    incremental_strategy='merge',
    on_schema_change='append_new_columns',
    dist='customer_id',
    sort=['order_date'],
    partition_by={'field': 'order_date', 'data_type': 'date', 'granularity': 'month'},
    indexes=[{'columns': ['sale_id']}, {'columns': ['order_id']}, {'columns': ['product_id']}]
) }}

-- One row per order line, with the order's customer and date, merged incrementally on sale_id.
--
-- Incremental design: as fct_orders (macros/shop/incremental_window.sql). A run merges the
-- lines changed since least(interval start, newest updated_at here) − lookback, plus every
-- line of an order that changed in that window. A line whose order is not in raw yet (a
-- backfill of a past interval reads only the versions last changed inside it) waits: the run
-- that loads the order puts the order, and so its lines, in the window. A re-run of a day
-- merges the same values: nothing changes.
--
-- The order's status is not copied here: it changes after the line is written. Join
-- fct_orders on (order_id, customer_id) for it; both facts are distributed on customer_id on
-- Redshift, so that join stays on each node.

with

{% if is_incremental() %}
changed_window as (

    select {{ incremental_window_start('updated_at') }} as window_start

),

changed_sales as (

    select stg_sales.sale_id
    from {{ ref('stg_sales') }} as stg_sales
    cross join changed_window
    where stg_sales.updated_at >= changed_window.window_start

    union

    select stg_sales.sale_id
    from {{ ref('stg_sales') }} as stg_sales
    inner join {{ ref('stg_orders') }} as stg_orders
        on stg_orders.order_id = stg_sales.order_id
    cross join changed_window
    where stg_orders.updated_at >= changed_window.window_start

),

{% endif %}
sales as (

    select * from {{ ref('stg_sales') }}
    {% if is_incremental() %}
    where sale_id in (select sale_id from changed_sales)
    {% endif %}

),

orders as (

    select * from {{ ref('stg_orders') }}

),

final as (

    select
        sales.sale_id,
        sales.order_id,
        sales.product_id,
        orders.customer_id,
        sales.quantity,
        sales.unit_price,
        sales.discount_percent,
        sales.gross_amount,
        sales.discount_amount,
        sales.net_amount,
        sales.is_deleted or orders.is_deleted as is_deleted,
        orders.ordered_at,
        orders.order_date,
        sales.updated_at
    from sales
    inner join orders
        on orders.order_id = sales.order_id

)

select * from final
