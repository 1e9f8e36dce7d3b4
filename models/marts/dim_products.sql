{{ config(
    materialized='table',
    dist='all',
    sort=['product_id'],
    indexes=[{'columns': ['product_id'], 'unique': true}]
) }}

-- One row per product with its catalogue group (product_category_groups seed). A category
-- missing from the seed shows as 'Other' rather than dropping the product.

with

products as (

    select * from {{ ref('stg_products') }}

),

category_groups as (

    select * from {{ ref('product_category_groups') }}

),

final as (

    select
        products.product_id,
        products.product_name,
        products.category,
        coalesce(category_groups.category_group, 'Other') as category_group,
        products.price,
        products.created_at,
        products.updated_at
    from products
    left join category_groups
        on category_groups.category = products.category

)

select * from final
