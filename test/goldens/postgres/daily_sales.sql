-- Revenue per day in EUR, built 2024-03-02T06:00:00.000Z for dev.
select
    cast(ordered_at as date) as sales_date,
    'eu-west' as region,
    count(*) as orders,
    round(cast(sum(order_total) as numeric), 2) as revenue
from "analytics"."fct_orders"
group by 1
