-- One row per order line (`sales` in the source): the latest version loaded into raw, with
-- the line's amounts worked out once so every model adds them up the same way.
--
-- Amounts, in EUR, rounded to the cent per line (as an invoice would):
--   gross_amount    = quantity × unit_price
--   net_amount      = round(quantity × unit_price × (100 − discount_percent) / 100, 2)
--   discount_amount = gross_amount − net_amount
--
-- A line deleted in the source (or with its order) stays, flagged: is_deleted, deleted_at (see
-- stg_orders).
--
-- Incremental: a day merges the lines with a version in the batches loaded since the table
-- was last built (macros/shop/latest_versions.sql), instead of ranking all of raw again.

{{ config(
    materialized='incremental',
    unique_key='sale_id',
    incremental_strategy='merge',
    on_schema_change='append_new_columns'
) }}

with

latest as (

    {{ latest_versions('shop', 'sales') }}

),

renamed as (

    select
        id as sale_id,
        order_id,
        product_id,
        cast(quantity as integer) as quantity,
        cast(unit_price as numeric(10,2)) as unit_price,
        cast(discount as numeric(5,2)) as discount_percent,
        {{ to_utc_timestamp('created_at') }} as created_at,
        {{ to_utc_timestamp("coalesce(" ~ source_deleted_at('shop', 'sales') ~ ", updated_at)") }} as updated_at,
        {{ to_utc_timestamp(source_deleted_at('shop', 'sales')) }} as deleted_at,
        _pgshift_loaded_at
    from latest

),

final as (

    select
        sale_id,
        order_id,
        product_id,
        quantity,
        unit_price,
        discount_percent,
        cast(quantity * unit_price as numeric(12,2)) as gross_amount,
        cast(quantity * unit_price - round(quantity * unit_price * (100 - discount_percent) / 100, 2) as numeric(12,2)) as discount_amount,
        cast(round(quantity * unit_price * (100 - discount_percent) / 100, 2) as numeric(12,2)) as net_amount,
        created_at,
        updated_at,
        deleted_at,
        deleted_at is not null as is_deleted,
        _pgshift_loaded_at
    from renamed

)

select * from final
