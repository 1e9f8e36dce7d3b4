create schema if not exists "reference";

-- one transaction
drop table if exists "reference"."country_codes__pgshift_tmp" cascade;
drop table if exists "reference"."country_codes__pgshift_backup" cascade;
-- commit

create table "reference"."country_codes__pgshift_tmp" (
  "code" varchar(2),
  "name" varchar(18),
  "population" integer,
  "area_km2" numeric(7,1),
  "eu_member" boolean,
  "joined_on" date,
  "updated_at" timestamp
);

-- one transaction
insert into "reference"."country_codes__pgshift_tmp" ("code", "name", "population", "area_km2", "eu_member", "joined_on", "updated_at") values
($1, $2, $3, $4, $5, $6, $7),
($8, $9, $10, $11, $12, $13, $14),
($15, $16, $17, $18, $19, $20, $21);
-- params: ["DE","Germany","83200000","357588.5","true","1958-01-01","2024-03-01T10:00:00","NO","Norway, Kingdom of","5500000","385207","false",null,"2024-03-01 11:30:00","IS","Ísland",null,"103000","FALSE",null,null]
-- commit

-- then, replacing the existing table:
-- one transaction
alter table "reference"."country_codes" rename to "country_codes__pgshift_backup";
alter table "reference"."country_codes__pgshift_tmp" rename to "country_codes";
drop table "reference"."country_codes__pgshift_backup" cascade;
-- commit
