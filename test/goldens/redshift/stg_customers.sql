with source as (
    select * from "raw"."customers"
),

renamed as (
    select
        customer_id,
        sha2(cast(lower(trim(email)) as varchar(65535)), 256) as email_hash,
        json_extract_path_text(address, 'city', true) as city,
        json_extract_path_text(address, 'geo', 'country', true) as country_code,
        try_cast(nullif(trim(signup_date), '') as date) as signed_up_on,
        updated_at
    from source
)

select * from renamed
