with source as (
    select * from "raw"."customers"
),

renamed as (
    select
        customer_id,
        encode(sha256(convert_to(cast(lower(trim(email)) as text), 'UTF8')), 'hex') as email_hash,
        (case when cast(address as text) ~ '^[[:space:]]*[{][[:space:]]*("([^"\\[:cntrl:]]|\\.)*"[[:space:]]*:[[:space:]]*("([^"\\[:cntrl:]]|\\.)*"|-?(0|[1-9][0-9]*)([.][0-9]+)?([eE][+-]?[0-9]+)?|true|false|null|[{]([^][{}"]|"([^"\\[:cntrl:]]|\\.)*"|[{]([^][{}"]|"([^"\\[:cntrl:]]|\\.)*")*[}]|[[]([^][{}"]|"([^"\\[:cntrl:]]|\\.)*")*[]])*[}]|[[]([^][{}"]|"([^"\\[:cntrl:]]|\\.)*"|[{]([^][{}"]|"([^"\\[:cntrl:]]|\\.)*")*[}]|[[]([^][{}"]|"([^"\\[:cntrl:]]|\\.)*")*[]])*[]])[[:space:]]*(,[[:space:]]*"([^"\\[:cntrl:]]|\\.)*"[[:space:]]*:[[:space:]]*("([^"\\[:cntrl:]]|\\.)*"|-?(0|[1-9][0-9]*)([.][0-9]+)?([eE][+-]?[0-9]+)?|true|false|null|[{]([^][{}"]|"([^"\\[:cntrl:]]|\\.)*"|[{]([^][{}"]|"([^"\\[:cntrl:]]|\\.)*")*[}]|[[]([^][{}"]|"([^"\\[:cntrl:]]|\\.)*")*[]])*[}]|[[]([^][{}"]|"([^"\\[:cntrl:]]|\\.)*"|[{]([^][{}"]|"([^"\\[:cntrl:]]|\\.)*")*[}]|[[]([^][{}"]|"([^"\\[:cntrl:]]|\\.)*")*[]])*[]])[[:space:]]*)*)?[}][[:space:]]*$' then cast(cast(address as text) as jsonb) #>> array['city'] end) as city,
        (case when cast(address as text) ~ '^[[:space:]]*[{][[:space:]]*("([^"\\[:cntrl:]]|\\.)*"[[:space:]]*:[[:space:]]*("([^"\\[:cntrl:]]|\\.)*"|-?(0|[1-9][0-9]*)([.][0-9]+)?([eE][+-]?[0-9]+)?|true|false|null|[{]([^][{}"]|"([^"\\[:cntrl:]]|\\.)*"|[{]([^][{}"]|"([^"\\[:cntrl:]]|\\.)*")*[}]|[[]([^][{}"]|"([^"\\[:cntrl:]]|\\.)*")*[]])*[}]|[[]([^][{}"]|"([^"\\[:cntrl:]]|\\.)*"|[{]([^][{}"]|"([^"\\[:cntrl:]]|\\.)*")*[}]|[[]([^][{}"]|"([^"\\[:cntrl:]]|\\.)*")*[]])*[]])[[:space:]]*(,[[:space:]]*"([^"\\[:cntrl:]]|\\.)*"[[:space:]]*:[[:space:]]*("([^"\\[:cntrl:]]|\\.)*"|-?(0|[1-9][0-9]*)([.][0-9]+)?([eE][+-]?[0-9]+)?|true|false|null|[{]([^][{}"]|"([^"\\[:cntrl:]]|\\.)*"|[{]([^][{}"]|"([^"\\[:cntrl:]]|\\.)*")*[}]|[[]([^][{}"]|"([^"\\[:cntrl:]]|\\.)*")*[]])*[}]|[[]([^][{}"]|"([^"\\[:cntrl:]]|\\.)*"|[{]([^][{}"]|"([^"\\[:cntrl:]]|\\.)*")*[}]|[[]([^][{}"]|"([^"\\[:cntrl:]]|\\.)*")*[]])*[]])[[:space:]]*)*)?[}][[:space:]]*$' then cast(cast(address as text) as jsonb) #>> array['geo', 'country'] end) as country_code,
        case when trim(cast(signup_date as text)) ~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([ T]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]{1,6})?)?)?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)?$' then
            case when cast(substr(trim(cast(signup_date as text)), 9, 2) as integer) <= extract(day from cast(substr(trim(cast(signup_date as text)), 1, 7) || '-01' as date) + interval '1 month' - interval '1 day')
            then cast(trim(cast(signup_date as text)) as date) end
        end as signed_up_on,
        updated_at
    from source
)

select * from renamed
