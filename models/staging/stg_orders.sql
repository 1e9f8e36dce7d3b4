-- One row per order: the latest version loaded into raw. Raw keeps every extracted version
-- of an order (each daily batch re-reads the rows changed in its window, plus a lookback). An
-- extract reads each row as the source holds it then, so the most recently extracted version is
-- the latest one, whatever order the batches were loaded in; a tombstone (below) outranks
-- every version seen before it, and a row inserted again outranks the tombstone. This is the
-- order delete detection uses too. updated_at breaks a tie.
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

with

source as (

    select * from {{ source('shop', 'orders') }}

),

latest as (

    select
        *,
        row_number() over (
            partition by id
            order by _pgshift_extracted_at desc, updated_at desc
        ) as version_rank
    from source

),

line_units as (

    select
        order_id,
        sum(quantity) as units
    from {{ ref('stg_sales') }}
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
        {{ to_utc_timestamp(source_deleted_at('shop', 'orders', 'latest')) }} as deleted_at
    from latest
    left join line_units
        on line_units.order_id = latest.id
    where latest.version_rank = 1

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
        deleted_at is not null as is_deleted
    from renamed

)

select * from final
