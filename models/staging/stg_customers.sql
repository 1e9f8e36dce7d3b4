-- One row per customer: the latest version loaded into raw (raw keeps every extracted
-- version), contact data in one canonical spelling, and the JSON address split into columns.
--
-- The address is unvalidated JSON text in the source. A malformed value (a truncated write, a
-- Python dict, a trailing comma) never fails the model: the row is kept, its address columns
-- are NULL and address_status says what happened:
--   missing    no address (NULL or blank)
--   malformed  not a well-formed JSON object
--   partial    a JSON object without one or more of street, city, postal_code, country, lat, lon
--   ok         all six present
-- national_id (secret PII) is deliberately not selected: nothing downstream may need it.
--
-- A customer deleted in the source (a closed account) stays here, flagged (is_deleted,
-- deleted_at, see stg_orders); dim_customers leaves it out.
--
-- A table, not a view: dim_customers and a dozen tests read it, and as a view each of those
-- reads would match the JSON pattern over every customer again. Incremental: a day parses only
-- the customers with a version in the batches loaded since it last ran
-- (macros/shop/latest_versions.sql).

{{ config(
    materialized='incremental',
    unique_key='customer_id',
    incremental_strategy='merge',
    on_schema_change='append_new_columns'
) }}

with

latest as (

    {{ latest_versions('shop', 'customers') }}

),

parsed as {{ cte_materialized() }} (

    select
        id,
        first_name,
        last_name,
        email,
        phone,
        birth_date,
        created_at,
        updated_at,
        {{ source_deleted_at('shop', 'customers') }} as deleted_at,
        nullif(trim(address), '') as address,
        {{ is_json_object("nullif(trim(address), '')") }} as is_address_json,
        _pgshift_loaded_at
    from latest

),

-- Each address field is read out of the JSON once, here; the CTEs are materialized on
-- PostgreSQL (cte_materialized) because its pattern-matched JSON guard is costly per row and a
-- folded CTE would repeat it for every column, and every test, that reads the field.
address_fields as {{ cte_materialized() }} (

    select
        parsed.*,
        case when is_address_json then {{ object_path_text('address', 'street') }} end as street_text,
        case when is_address_json then {{ object_path_text('address', 'city') }} end as city_text,
        case when is_address_json then {{ object_path_text('address', 'postal_code') }} end as postal_code_text,
        case when is_address_json then {{ object_path_text('address', 'country') }} end as country_text,
        case when is_address_json then {{ object_path_text('address', 'geo', 'lat') }} end as lat_text,
        case when is_address_json then {{ object_path_text('address', 'geo', 'lon') }} end as lon_text
    from parsed

),

renamed as (

    select
        id as customer_id,
        nullif(trim(first_name), '') as first_name,
        nullif(trim(last_name), '') as last_name,
        {{ normalize_email('email') }} as email,
        {{ normalize_phone('phone') }} as phone,
        birth_date,

        nullif(trim(street_text), '') as street,
        nullif(trim(city_text), '') as city,
        nullif(trim(postal_code_text), '') as postal_code,
        upper(nullif(trim(country_text), '')) as country,
        {{ safe_cast('lat_text', 'numeric(9,5)') }} as lat,
        {{ safe_cast('lon_text', 'numeric(9,5)') }} as lon,
        address is null as is_address_missing,
        is_address_json,

        {{ to_utc_timestamp('created_at') }} as created_at,
        {{ to_utc_timestamp('coalesce(deleted_at, updated_at)') }} as updated_at,
        {{ to_utc_timestamp('deleted_at') }} as deleted_at,
        _pgshift_loaded_at
    from address_fields

),

final as (

    select
        customer_id,
        first_name,
        last_name,
        email,
        phone,
        birth_date,
        street,
        city,
        postal_code,
        country,
        lat,
        lon,
        cast(case
            when is_address_missing then 'missing'
            when not is_address_json then 'malformed'
            when street is null or city is null or postal_code is null or country is null or lat is null or lon is null then 'partial'
            else 'ok'
        end as varchar(9)) as address_status,
        created_at,
        updated_at,
        deleted_at,
        deleted_at is not null as is_deleted,
        _pgshift_loaded_at
    from renamed

)

select * from final
