-- One BatchExecuteStatement: a single transaction, all or nothing.

delete from "raw"."orders" where "_pgshift_batch_id" = '2026-11-23';

copy "raw"."orders" ("id", "customer_id", "note", "ordered_at", "_pgshift_batch_id", "_pgshift_extracted_at") from 's3://pgshift-staging/batches/shop/orders/2026-11-23/manifest.json'
iam_role 'arn:aws:iam::123456789012:role/pgshift-loader'
manifest
format as csv
gzip
timeformat 'auto'
compupdate off
statupdate off;

call pgshift_meta.assert_loaded_rows('raw', 'orders', '_pgshift_batch_id', '2026-11-23', 1234);

insert into pgshift_meta.batches (source, table_name, batch_id, rows, status) values (:s4_p1, :s4_p2, :s4_p3, :s4_p4, :s4_p5);

-- Parameters
--   :s4_p1 = "shop"
--   :s4_p2 = "orders"
--   :s4_p3 = "2026-11-23"
--   :s4_p4 = "1234"
--   :s4_p5 = "loaded"
