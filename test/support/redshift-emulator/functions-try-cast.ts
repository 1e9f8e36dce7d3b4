// TRY_CAST's runtime half (translate-try-cast.ts writes the calls): the conversion runs in its own
// exception block, and a conversion error (SQLSTATE class 22) becomes NULL.
// https://docs.aws.amazon.com/redshift/latest/dg/r_TRY_CAST.html

// One overload per source type PostgreSQL would otherwise coerce on the way in (an integer
// column would be read as text and an integer's cast rules lost); VARCHAR and CHAR arrive as text.
const SOURCE_TYPES = [
  'text',
  'boolean',
  'smallint',
  'integer',
  'bigint',
  'numeric',
  'real',
  'double precision',
  'date',
  'timestamp',
  'timestamptz',
  'time',
  'jsonb',
];

export const TRY_CAST_FUNCTIONS: readonly string[] = [
  // The value travels as text with its source type, and is cast source → target in one dynamic
  // statement; `target` is a typed NULL that fixes the result type, `type_name` keeps modifiers
  // such as numeric(5, 2) that a polymorphic argument would lose.
  `create or replace function pg_catalog.redshift_try_cast_from(value text, source regtype, target anyelement, type_name text) returns anyelement
     language plpgsql stable
     as $$
     declare
       result target%type;
     begin
       if value is null then return null; end if;
       if source = 'text'::regtype then
         -- "The expression cannot contain blank or empty strings": an error, not a NULL.
         if btrim(value) = '' then
           raise exception 'TRY_CAST cannot convert a blank or empty string to %', type_name using errcode = '22023';
         end if;
         -- VARCHAR to BOOLEAN is not among the conversions TRY_CAST permits (usage notes); an
         -- unpermitted conversion is an error.
         if pg_typeof(target) = 'boolean'::regtype then
           raise exception 'TRY_CAST does not convert VARCHAR to BOOLEAN' using errcode = '42846';
         end if;
       end if;
       begin
         execute format('select %L::%s::%s', value, source, type_name) into result;
       exception when data_exception then
         return null;
       end;
       return result;
     end $$`,
  ...SOURCE_TYPES.map(
    (source) => `create or replace function pg_catalog.redshift_try_cast(value ${source}, target anyelement, type_name text) returns anyelement
       language sql stable
       as $$ select pg_catalog.redshift_try_cast_from(value::text, '${source}'::regtype, target, type_name) $$`,
  ),
];
