with rawdata as (
        
    select generated_number
    from (
        select
        p0.generated_number * power(2, 0)
        + 1
        as generated_number
        from
        (select 0 as generated_number union all select 1) as p0
        ) as unioned
    where generated_number <= 1
    ),

    all_periods as (
        select (
            dateadd(day, row_number() over (order by 1) - 1, cast('2024-02-27' as date))
        ) as date_day
        from rawdata
    ),

    filtered as (
        select *
        from all_periods
        where date_day <= cast('2024-03-02' as date)
    )

    select * from filtered
