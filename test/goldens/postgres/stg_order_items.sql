select
    order_id,
    line_number,
    product_id,
    case when trim(cast(quantity as text)) ~ '^[+-]?[0-9]{1,20}$' then
            case when cast(trim(cast(quantity as text)) as numeric) between -2147483648 and 2147483647 then cast(trim(cast(quantity as text)) as integer) end
        end as quantity,
    case when trim(cast(unit_price as text)) ~ '^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?$' then cast(trim(cast(unit_price as text)) as numeric) end as unit_price
from "raw"."order_items"
