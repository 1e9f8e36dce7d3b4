{{ config(
    materialized='incremental',
    unique_key='order_id',
    incremental_strategy='merge',
    on_schema_change='append_new_columns',
    dist='customer_id',
    sort=['order_date'],
    partition_by={'field': 'order_date', 'data_type': 'date', 'granularity': 'month'},
    indexes=[{'columns': ['order_id']}, {'columns': ['customer_id']}]
) }}

-- One row per order with its line totals, merged incrementally on order_id.
--
-- Incremental design (see macros/shop/incremental_window.sql):
--   * The first run, and --full-refresh, build the table from every order in staging.
--   * Later runs merge only the orders that changed since
--         least(interval start, newest updated_at already here) − incremental_lookback_hours
--     where "changed" means the order itself OR any of its lines (a line corrected by
--     customer service changes the order's revenue without touching the order row).
--     updated_at here is the latest change of the order or its lines, for the same reason.
--   * A late-arriving order (committed after its day's extract, with an updated_at before the
--     interval start) is re-read by the next extract's lookback and falls inside this
--     window, so the next run merges it.
--   * Staging yields one latest version per order and MERGE replaces the row by key, so a
--     re-run of a day writes the same values again: the table does not change.
--
-- Revenue: net of discounts (stg_sales.net_amount). Cancelled orders keep their amounts here,
-- flagged by is_cancelled; reports leave them out of every sales figure. Orders deleted in the
-- source are kept and flagged by is_deleted (the merge can only update a row, and a deletion
-- is an update here); reports leave them out too. Deleted lines no longer count in the totals.
-- Physical design: Redshift distributes on customer_id (per-customer analyses join and
-- aggregate locally) and sorts on order_date (date-range scans); PostgreSQL partitions by
-- month of order_date (new months land in the default partition until the next full build).

with

{% if is_incremental() %}
changed_window as (

    select {{ incremental_window_start('updated_at') }} as window_start

),

changed_orders as (

    select stg_orders.order_id
    from {{ ref('stg_orders') }} as stg_orders
    cross join changed_window
    where stg_orders.updated_at >= changed_window.window_start

    union

    select stg_sales.order_id
    from {{ ref('stg_sales') }} as stg_sales
    cross join changed_window
    where stg_sales.updated_at >= changed_window.window_start

),

{% endif %}
orders as (

    select * from {{ ref('stg_orders') }}
    {% if is_incremental() %}
    where order_id in (select order_id from changed_orders)
    {% endif %}

),

order_lines as (

    select
        order_id,
        count(*) as line_count,
        sum(gross_amount) as gross_revenue,
        sum(discount_amount) as discount_amount,
        sum(net_amount) as revenue,
        max(updated_at) as updated_at
    from {{ ref('stg_sales') }}
    where not is_deleted
    {% if is_incremental() %}
    and order_id in (select order_id from changed_orders)
    {% endif %}
    group by order_id

),

final as (

    select
        orders.order_id,
        orders.customer_id,
        orders.product_id,
        orders.status,
        orders.status = 'cancelled' as is_cancelled,
        orders.is_deleted,
        orders.quantity,
        orders.quantity_source,
        cast(coalesce(order_lines.line_count, 0) as integer) as line_count,
        cast(coalesce(order_lines.gross_revenue, 0) as numeric(14,2)) as gross_revenue,
        cast(coalesce(order_lines.discount_amount, 0) as numeric(14,2)) as discount_amount,
        cast(coalesce(order_lines.revenue, 0) as numeric(14,2)) as revenue,
        orders.ordered_at,
        orders.order_date,
        case
            when order_lines.updated_at > orders.updated_at then order_lines.updated_at
            else orders.updated_at
        end as updated_at
    from orders
    left join order_lines
        on order_lines.order_id = orders.order_id

)

select * from final
