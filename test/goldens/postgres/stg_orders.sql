with source as (
    select * from "raw"."orders"
),

renamed as (
    select
        order_id,
        customer_id,
        lower(status) as status,
        case when trim(cast(amount as text)) ~ '^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?$' then
            case when abs(round(cast(trim(cast(amount as text)) as numeric), 2)) < 1e10 then cast(trim(cast(amount as text)) as numeric(12, 2)) end
        end as amount,
        case
        when lower(trim(cast(is_gift as varchar))) in ('true', 't', 'yes', 'y', 'on', '1') then true
        when lower(trim(cast(is_gift as varchar))) in ('false', 'f', 'no', 'n', 'off', '0') then false
    end as is_gift,
        date_trunc('day', cast(ordered_at as timestamp)) as ordered_on,
        ordered_at,
        updated_at
    from source
)

select * from renamed
