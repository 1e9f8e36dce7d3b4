{{ config(sort=['cohort_month', 'months_since_first']) }}

-- Monthly cohorts: customers grouped by the month of their first order (cancelled orders left
-- out), and for each later month how many of them ordered again.
--   months_since_first  0 for the cohort month itself (always the whole cohort), 1 the next …
--   retention_rate      customers / cohort_size, a fraction from 0 to 1 (4 decimals)

with

orders as (

    select * from {{ ref('fct_orders') }}
    where not is_cancelled
        and not is_deleted

),

customer_months as (

    select distinct
        customer_id,
        cast({{ date_trunc('month', 'order_date') }} as date) as order_month
    from orders

),

cohorts as (

    select
        customer_id,
        min(order_month) as cohort_month
    from customer_months
    group by customer_id

),

cohort_sizes as (

    select
        cohort_month,
        count(*) as cohort_size
    from cohorts
    group by cohort_month

),

activity as (

    select
        cohorts.cohort_month,
        {{ datediff('month', 'cohorts.cohort_month', 'customer_months.order_month') }} as months_since_first,
        count(*) as customers
    from customer_months
    inner join cohorts
        on cohorts.customer_id = customer_months.customer_id
    group by 1, 2

),

final as (

    select
        cast(activity.cohort_month as date) as cohort_month,
        cast(activity.months_since_first as bigint) as months_since_first,
        cast(activity.customers as bigint) as customers,
        cast(cohort_sizes.cohort_size as bigint) as cohort_size,
        cast(round(cast(activity.customers as numeric(18,4)) / cohort_sizes.cohort_size, 4) as numeric(9,4)) as retention_rate
    from activity
    inner join cohort_sizes
        on cohort_sizes.cohort_month = activity.cohort_month

)

select * from final
