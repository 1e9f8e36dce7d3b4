-- One BatchExecuteStatement: a single transaction, all or nothing.

drop table if exists "raw"."orders__pgshift_new";

create table "raw"."orders__pgshift_new" (like "raw"."orders");

copy "raw"."orders__pgshift_new" ("id", "customer_id", "note", "ordered_at", "_pgshift_batch_id", "_pgshift_extracted_at") from 's3://pgshift-staging/batches/shop/orders/2026-11-23/manifest.json'
iam_role 'arn:aws:iam::123456789012:role/pgshift-loader'
manifest
format as csv
gzip
timeformat 'auto'
compupdate off
statupdate off;

call pgshift_meta.assert_loaded_rows('raw', 'orders__pgshift_new', '_pgshift_batch_id', '2026-11-23', 1234);

alter table "raw"."orders" rename to "orders__pgshift_old";

alter table "raw"."orders__pgshift_new" rename to "orders";

drop table "raw"."orders__pgshift_old";

insert into pgshift_meta.batches (source, table_name, batch_id, rows, status) values (:s8_p1, :s8_p2, :s8_p3, :s8_p4, :s8_p5);

-- Parameters
--   :s8_p1 = "shop"
--   :s8_p2 = "orders"
--   :s8_p3 = "2026-11-23"
--   :s8_p4 = "1234"
--   :s8_p5 = "loaded"
