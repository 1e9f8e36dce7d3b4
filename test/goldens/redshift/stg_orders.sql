with source as (
    select * from "raw"."orders"
),

renamed as (
    select
        order_id,
        customer_id,
        lower(status) as status,
        try_cast(nullif(trim(amount), '') as numeric(12, 2)) as amount,
        case
        when lower(trim(cast(is_gift as varchar))) in ('true', 't', 'yes', 'y', 'on', '1') then true
        when lower(trim(cast(is_gift as varchar))) in ('false', 'f', 'no', 'n', 'off', '0') then false
    end as is_gift,
        date_trunc('day', ordered_at) as ordered_on,
        ordered_at,
        updated_at
    from source
)

select * from renamed
