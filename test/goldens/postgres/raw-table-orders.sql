create table if not exists "raw"."orders" (
  "id" bigint,
  "amount" numeric(12,2),
  "ratio" numeric,
  "status" character varying(20),
  "note" text,
  "code" character(5),
  "ref" uuid,
  "payload" jsonb,
  "tags" text[],
  "blob" bytea,
  "took" interval,
  "mood" text,
  "email" text,
  "area" text,
  "updated_at" timestamp with time zone,
  "_pgshift_batch_id" character varying(64),
  "_pgshift_extracted_at" timestamp with time zone
)
