select
    customer_id,
    lifetime_value,
    cast(cast(cast(cast(now() at time zone 'utc' as timestamp) as timestamp) as date) - cast(cast(first_paid_at as timestamp) as date) as bigint) as days_since_first_order,
    'analytics_finance' as built_in_schema
from (
    select
        customers.customer_id,
        customers.lifetime_value,
        min(orders.ordered_at) as first_paid_at
    from "analytics"."dim_customers" as customers
    join "analytics"."fct_orders" as orders using (customer_id)
    group by 1, 2
) as per_customer
