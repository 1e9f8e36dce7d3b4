-- One row per order: the latest version loaded into raw. Raw keeps every extracted version
-- of an order (each daily batch re-reads the rows changed in its window, plus a lookback);
-- macros/shop/latest_versions.sql says which version is the latest, and why a day only ranks
-- the orders with a version in a batch loaded since the table was last built. An order whose
-- lines changed is rebuilt too: its quantity may be their sum (below).
--
-- status: trimmed and lower-cased ('  Shipped', 'SHIPPED ' → 'shipped'); the source only
-- knows pending, shipped, delivered and cancelled, which a test checks.
--
-- quantity: total units of the order. The legacy checkout left it NULL on some orders; the
-- rule, recorded in quantity_source:
--   'order'        the order's own quantity
--   'order_lines'  NULL on the order: the sum of its lines' quantities (what was sold)
--   'default'      NULL and no lines to count: 1, the smallest possible order
--
-- Deleted rows (pgshift.yml: deletes: detect) stay, flagged: their newest version in raw is the
-- tombstone the load recorded, with the row's last values and the time the extract first found
-- it missing (source_deleted_at). deleted_at is that time; updated_at counts the deletion as
-- the row's last change, so incremental marts re-read and flag it.
--
-- Timestamps are UTC (timestamp without time zone); order_date is the UTC calendar day.

{{ config(
    materialized='incremental',
    unique_key='order_id',
    incremental_strategy='merge',
    on_schema_change='append_new_columns'
) }}

{#- The orders whose lines were loaded since this table's watermark: a line added or corrected
    changes a quantity summed from the lines. -#}
{% set lines_changed_orders %}
    select order_id from {{ ref('stg_sales') }} where _pgshift_loaded_at >= {{ loaded_watermark() }}
{% endset %}

with

latest as (

    {{ latest_versions('shop', 'orders', also_keys=lines_changed_orders) }}

),

line_units as (

    select
        order_id,
        sum(quantity) as units
    from {{ ref('stg_sales') }}
    {% if is_incremental() %}
    where order_id in (select id from latest)
    {% endif %}
    group by order_id

),

renamed as (

    select
        latest.id as order_id,
        latest.customer_id,
        latest.product_id,
        cast(lower(trim(latest.status)) as varchar(16)) as status,
        cast(coalesce(latest.quantity, line_units.units, 1) as integer) as quantity,
        cast(case
            when latest.quantity is not null then 'order'
            when line_units.units is not null then 'order_lines'
            else 'default'
        end as varchar(16)) as quantity_source,
        {{ to_utc_timestamp('latest.created_at') }} as ordered_at,
        {{ to_utc_timestamp("coalesce(" ~ source_deleted_at('shop', 'orders', 'latest') ~ ", latest.updated_at)") }} as updated_at,
        {{ to_utc_timestamp(source_deleted_at('shop', 'orders', 'latest')) }} as deleted_at,
        latest._pgshift_loaded_at
    from latest
    left join line_units
        on line_units.order_id = latest.id

),

final as (

    select
        order_id,
        customer_id,
        product_id,
        status,
        quantity,
        quantity_source,
        ordered_at,
        cast(ordered_at as date) as order_date,
        updated_at,
        deleted_at,
        deleted_at is not null as is_deleted,
        _pgshift_loaded_at
    from renamed

)

select * from final

