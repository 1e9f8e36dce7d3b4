-- One row per product: the latest version in raw (products are copied whole on every run,
-- so raw holds one snapshot; ranking still guards against a table switched to incremental).

with

source as (

    select * from {{ source('shop', 'products') }}

),

latest as (

    select
        *,
        row_number() over (
            partition by id
            order by updated_at desc, _pgshift_extracted_at desc
        ) as version_rank
    from source

),

final as (

    select
        id as product_id,
        trim(name) as product_name,
        trim(category) as category,
        cast(price as numeric(10,2)) as price,
        {{ to_utc_timestamp('created_at') }} as created_at,
        {{ to_utc_timestamp('updated_at') }} as updated_at
    from latest
    where version_rank = 1

)

select * from final
