with inputs as (
    select
        cast('2024-02-10 13:45:30' as timestamp) as at,
        cast('2024-05-20 08:00:00' as timestamp) as later,
        'a,b,c' as csv,
        true as flag,
        cast('12' as varchar(10)) as number_text
)
select
    date_trunc('month', at) as month_start,
    at + ((interval '1 day') * (3)) as plus_days,
    at + ((interval '1 month') * (-1)) as minus_month,
    ((later)::date - (at)::date) as days_between,
    ((date_part('year', (later)::date) - date_part('year', (at)::date)) * 12 + date_part('month', (later)::date) - date_part('month', (at)::date)) as months_between,
    (((later)::date - (at)::date) * 24 + date_part('hour', (later)::timestamp) - date_part('hour', (at)::timestamp)) as hours_between,
    cast(date_trunc('month', at) + ((interval '1 month') * (1)) + ((interval '1 day') * (-1)) as date) as month_end,
    csv || '-' || csv as doubled,
    md5(cast(csv as TEXT)) as csv_md5,
    case when trim(cast(number_text as text)) ~ '^[+-]?[0-9]{1,20}$' then
            case when cast(trim(cast(number_text as text)) as numeric) between -2147483648 and 2147483647 then cast(trim(cast(number_text as text)) as INT) end
        end as number_value,
    case when trim(cast('x1' as text)) ~ '^[+-]?[0-9]{1,20}$' then
            case when cast(trim(cast('x1' as text)) as numeric) between -2147483648 and 2147483647 then cast(trim(cast('x1' as text)) as INT) end
        end as not_a_number,
    split_part(csv, ',', 2) as second_part,
    split_part(csv, ',',
        (length(csv) - length(replace(csv, ',', ''))) / length(',') + 2 + -1) as last_part,
    cast(flag as TEXT) as flag_text,
    'it''s' as escaped,
    'O''Brien' as literal,
    position('b' in csv) as b_at,
    length(csv) as csv_length,
    replace(csv, ',', ';') as semicolons,
    right(csv, 3) as last_three,
    cast(1.5 as FLOAT) as a_float,
    cast(2.25 as numeric(28,6)) as a_numeric,
    cast(7 as bigint) as a_bigint,
    cast('x' as TEXT) as a_string,
    cast('2024-01-01' as TIMESTAMP) as a_timestamp,
    cast(true as BOOLEAN) as a_boolean,
    now() is not null as has_now
from inputs
