create table if not exists "raw"."orders" (
  "id" bigint,
  "amount" numeric(12,2),
  "ratio" numeric(38,10),
  "status" character varying(80),
  "note" character varying(65535),
  "code" character varying(20),
  "ref" character(36),
  "payload" character varying(65535),
  "tags" character varying(65535),
  "blob" character varying(65535),
  "took" character varying(64),
  "mood" character varying(256),
  "email" character varying(65535),
  "area" character varying(65535),
  "updated_at" timestamp with time zone,
  "_pgshift_batch_id" character varying(64),
  "_pgshift_extracted_at" timestamp with time zone
)
diststyle auto
compound sortkey ("updated_at")
