// One model that calls every `dbt.` cross-database macro on fixed inputs: the unit test holds its
// compiled SQL as goldens per dialect, the integration test runs it on both warehouses.

export const DBT_MACRO_MODEL = `with inputs as (
    select
        cast('2024-02-10 13:45:30' as timestamp) as at,
        cast('2024-05-20 08:00:00' as timestamp) as later,
        'a,b,c' as csv,
        true as flag,
        cast('12' as varchar(10)) as number_text
)
select
    {{ dbt.date_trunc('month', 'at') }} as month_start,
    {{ dbt.dateadd('day', 3, 'at') }} as plus_days,
    {{ dbt.dateadd('month', -1, 'at') }} as minus_month,
    {{ dbt.datediff('at', 'later', 'day') }} as days_between,
    {{ dbt.datediff('at', 'later', 'month') }} as months_between,
    {{ dbt.datediff('at', 'later', 'hour') }} as hours_between,
    {{ dbt.last_day('at', 'month') }} as month_end,
    {{ dbt.concat(['csv', "'-'", 'csv']) }} as doubled,
    {{ dbt.hash('csv') }} as csv_md5,
    {{ dbt.safe_cast('number_text', dbt.type_int()) }} as number_value,
    {{ dbt.safe_cast("'x1'", dbt.type_int()) }} as not_a_number,
    {{ dbt.split_part('csv', "','", 2) }} as second_part,
    {{ dbt.split_part('csv', "','", -1) }} as last_part,
    {{ dbt.cast_bool_to_text('flag') }} as flag_text,
    {{ dbt.escape_single_quotes("it's") | replace("it''s", "'it''s'") }} as escaped,
    {{ dbt.string_literal("O'Brien") }} as literal,
    {{ dbt.position("'b'", 'csv') }} as b_at,
    {{ dbt.length('csv') }} as csv_length,
    {{ dbt.replace('csv', "','", "';'") }} as semicolons,
    {{ dbt.right('csv', 3) }} as last_three,
    cast(1.5 as {{ dbt.type_float() }}) as a_float,
    cast(2.25 as {{ dbt.type_numeric() }}) as a_numeric,
    cast(7 as {{ dbt.type_bigint() }}) as a_bigint,
    cast('x' as {{ dbt.type_string() }}) as a_string,
    cast('2024-01-01' as {{ dbt.type_timestamp() }}) as a_timestamp,
    cast(true as {{ dbt.type_boolean() }}) as a_boolean,
    {{ dbt.current_timestamp() }} is not null as has_now
from inputs`;

export const DBT_AGGREGATE_MODEL = `with letters as (
    select 1 as id, 'c' as letter, false as flag
    union all select 2, 'a', true
    union all select 3, 'b', false
)
select
    {{ dbt.listagg('letter', "','", 'order by id') }} as by_id,
    {{ dbt.listagg('letter', "'|'", 'order by letter', 2) }} as first_two,
    {{ dbt.any_value('letter') }} as some_letter,
    {{ dbt.bool_or('flag') }} as any_flag
from letters`;

export const DBT_DATE_SPINE_MODEL = `{{ dbt.date_spine('day', "cast('2024-02-27' as date)", "cast('2024-03-02' as date)") }}`;
