-- One BatchExecuteStatement: a single transaction, all or nothing.

lock "pgshift_meta"."batches", "raw"."orders";

delete from "raw"."orders" where "_pgshift_batch_id" = '2026-11-23';

copy "raw"."orders" ("id", "customer_id", "note", "ordered_at", "_pgshift_batch_id", "_pgshift_extracted_at") from 's3://pgshift-staging/batches/shop/orders/2026-11-23/manifest.json'
iam_role 'arn:aws:iam::123456789012:role/pgshift-loader'
manifest
format as csv
gzip
roundec
compupdate off
statupdate off;

select 1 / (case when count(*) = 1234 then 1 else 0 end) as pgshift_row_count_check from "raw"."orders" where "_pgshift_batch_id" = '2026-11-23';

insert into pgshift_meta.batches (source, table_name, batch_id, rows, status) values ('shop', 'orders', '2026-11-23', 1234, 'loaded');
