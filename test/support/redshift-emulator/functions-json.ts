// Redshift's text-based JSON functions (the JSON lives in a VARCHAR) as PostgreSQL functions:
// JSON_EXTRACT_PATH_TEXT, JSON_EXTRACT_ARRAY_ELEMENT_TEXT, JSON_ARRAY_LENGTH, IS_VALID_JSON and
// IS_VALID_JSON_ARRAY. PostgreSQL's own json_* functions take `json`, so a string literal or a
// VARCHAR column resolves to these text overloads instead.

/** Redshift reads paths of up to five keys. */
const MAX_PATH_KEYS = 5;

function extractPathText(keys: number, withFlag: boolean): string {
  const keyParams = Array.from({ length: keys }, (_, i) => `key${i + 1} text`);
  const params = ['json_string text', ...keyParams, ...(withFlag ? ['null_if_invalid boolean'] : [])].join(', ');
  // -> with a text key is NULL on an array or a scalar, so keys only ever walk objects.
  const path = keyParams.map((_, i) => (i === keys - 1 ? ` ->> key${i + 1}` : ` -> key${i + 1}`)).join('');
  const flag = withFlag ? 'null_if_invalid' : 'false';
  return `create or replace function pg_catalog.json_extract_path_text(${params}) returns text
     language sql immutable strict
     as $$ select pg_catalog.redshift_json(json_string, ${flag})${path} $$`;
}

export const JSON_FUNCTIONS: readonly string[] = [
  // The text as json (which keeps the original spelling of nested values, unlike jsonb), NULL
  // when it is not JSON and null_if_invalid is set, else the parse error.
  `create or replace function pg_catalog.redshift_json(json_string text, null_if_invalid boolean) returns json
     language plpgsql immutable strict
     as $$
     begin
       return json_string::json;
     exception when data_exception then
       if null_if_invalid then return null; end if;
       raise;
     end $$`,
  // The same for the array functions, for which a JSON value that is not an array is invalid too.
  `create or replace function pg_catalog.redshift_json_array(json_string text, null_if_invalid boolean) returns json
     language plpgsql immutable strict
     as $$
     declare
       parsed json := pg_catalog.redshift_json(json_string, null_if_invalid);
     begin
       if parsed is null or json_typeof(parsed) = 'array' then return parsed; end if;
       if null_if_invalid then return null; end if;
       raise exception 'invalid JSON array: %', left(json_string, 60) using errcode = '22P02';
     end $$`,

  // JSON_EXTRACT_PATH_TEXT(json_string, key1 [, … key5] [, null_if_invalid]): the value as text, a
  // string unquoted; NULL when a key does not exist (the current page; older versions said an
  // empty string); invalid JSON fails unless null_if_invalid is true, then it is NULL.
  // https://docs.aws.amazon.com/redshift/latest/dg/JSON_EXTRACT_PATH_TEXT.html
  ...Array.from({ length: MAX_PATH_KEYS }, (_, i) => [extractPathText(i + 1, false), extractPathText(i + 1, true)]).flat(),

  // JSON_EXTRACT_ARRAY_ELEMENT_TEXT(json_string, pos [, null_if_invalid]): zero-based; NULL for a
  // negative or out-of-range position (PostgreSQL would count a negative one from the end).
  // https://docs.aws.amazon.com/redshift/latest/dg/JSON_EXTRACT_ARRAY_ELEMENT_TEXT.html
  `create or replace function pg_catalog.json_extract_array_element_text(json_string text, pos integer, null_if_invalid boolean) returns text
     language sql immutable strict
     as $$ select case when pos >= 0 then pg_catalog.redshift_json_array(json_string, null_if_invalid) ->> pos end $$`,
  `create or replace function pg_catalog.json_extract_array_element_text(json_string text, pos integer) returns text
     language sql immutable strict
     as $$ select pg_catalog.json_extract_array_element_text(json_string, pos, false) $$`,

  // JSON_ARRAY_LENGTH(json_array [, null_if_invalid]): elements of the outer array.
  // https://docs.aws.amazon.com/redshift/latest/dg/JSON_ARRAY_LENGTH.html
  `create or replace function pg_catalog.json_array_length(json_text text, null_if_invalid boolean) returns integer
     language sql immutable strict
     as $$ select json_array_length(pg_catalog.redshift_json_array(json_text, null_if_invalid)) $$`,
  `create or replace function pg_catalog.json_array_length(json_text text) returns integer
     language sql immutable strict
     as $$ select pg_catalog.json_array_length(json_text, false) $$`,

  // IS_VALID_JSON is true for a well-formed JSON object only: '[1,2,3]' is false.
  // https://docs.aws.amazon.com/redshift/latest/dg/IS_VALID_JSON.html
  `create or replace function pg_catalog.is_valid_json(json_string text) returns boolean
     language sql immutable strict
     as $$ select coalesce(json_typeof(pg_catalog.redshift_json(json_string, true)) = 'object', false) $$`,
  // IS_VALID_JSON_ARRAY is true for a well-formed JSON array only.
  // https://docs.aws.amazon.com/redshift/latest/dg/IS_VALID_JSON_ARRAY.html
  `create or replace function pg_catalog.is_valid_json_array(json_string text) returns boolean
     language sql immutable strict
     as $$ select coalesce(json_typeof(pg_catalog.redshift_json(json_string, true)) = 'array', false) $$`,
];
