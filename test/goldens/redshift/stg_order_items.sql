select
    order_id,
    line_number,
    product_id,
    try_cast(nullif(trim(quantity), '') as integer) as quantity,
    try_cast(nullif(trim(unit_price), '') as numeric) as unit_price
from "raw"."order_items"
