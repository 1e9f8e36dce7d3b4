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
    dateadd(day, 3, at) as plus_days,
    dateadd(month, -1, at) as minus_month,
    datediff(day, at, later) as days_between,
    datediff(month, at, later) as months_between,
    datediff(hour, at, later) as hours_between,
    cast(dateadd(day, -1, dateadd(month, 1, date_trunc('month', at))) as date) as month_end,
    csv || '-' || csv as doubled,
    md5(cast(csv as varchar(max))) as csv_md5,
    try_cast(nullif(trim(number_text), '') as INT) as number_value,
    try_cast(nullif(trim('x1'), '') as INT) as not_a_number,
    split_part(csv, ',', 2) as second_part,
    split_part(csv, ',',
        (length(csv) - length(replace(csv, ',', ''))) / length(',') + 2 + -1) as last_part,
    case
        when flag is true then 'true'
        when flag is false then 'false'
    end::text as flag_text,
    'it''s' as escaped,
    'O''Brien' as literal,
    position('b' in csv) as b_at,
    len(csv) as csv_length,
    replace(csv, ',', ';') as semicolons,
    right(csv, 3) as last_three,
    cast(1.5 as FLOAT) as a_float,
    cast(2.25 as numeric(28,6)) as a_numeric,
    cast(7 as bigint) as a_bigint,
    cast('x' as varchar) as a_string,
    cast('2024-01-01' as TIMESTAMP) as a_timestamp,
    cast(true as BOOLEAN) as a_boolean,
    getdate() is not null as has_now
from inputs
