{{ config(
    materialized='table',
    dist='all',
    sort=['customer_id'],
    indexes=[{'columns': ['customer_id'], 'unique': true}, {'columns': ['email_hash']}]
) }}

-- One row per customer, masked for marketing use. No clear name, e-mail, phone, street,
-- postal code, coordinates or birth date leaves this model:
--   email_hash       keyed SHA-256 of the normalised e-mail (pii_hash): joins and dedupes
--                    customers across systems that hash with the same key
--   email_masked     first character and domain, j***@example.com
--   phone_last_four  the last four digits
--   birth_year, age_band   instead of the birth date (age on the run's last day)
--   city, country    kept: needed for regional analyses, not identifying on their own
-- Country names and regions come from the country_codes seed.
-- Customers deleted in the source (closed accounts) are left out.

with

customers as (

    select * from {{ ref('stg_customers') }}
    where not is_deleted

),

countries as (

    select * from {{ ref('country_codes') }}

),

masked as (

    select
        customer_id,
        {{ pii_hash('email') }} as email_hash,
        {{ pii_mask_email('email') }} as email_masked,
        {{ pii_phone_last_four('phone') }} as phone_last_four,
        {{ pii_birth_year('birth_date') }} as birth_year,
        {{ pii_age_years('birth_date') }} as age_years,
        city,
        country as country_code,
        address_status,
        created_at,
        updated_at
    from customers

),

final as (

    select
        masked.customer_id,
        masked.email_hash,
        masked.email_masked,
        masked.phone_last_four,
        masked.birth_year,
        {{ pii_age_band('masked.age_years') }} as age_band,
        masked.city,
        masked.country_code,
        countries.name as country_name,
        countries.region,
        masked.address_status,
        masked.created_at as signed_up_at,
        masked.updated_at
    from masked
    left join countries
        on countries.code = masked.country_code

)

select * from final
