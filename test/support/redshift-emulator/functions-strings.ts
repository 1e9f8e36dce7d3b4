// Redshift's string functions that PostgreSQL lacks or reads differently: CHARINDEX, STRTOL and
// REGEXP_REPLACE with a start position (the translator sends 4- and 5-argument calls here).

export const STRING_FUNCTIONS: readonly string[] = [
  // CHARINDEX(substring, string): 1-based character position, 0 when absent (STRPOS reversed).
  // https://docs.aws.amazon.com/redshift/latest/dg/r_CHARINDEX.html
  `create or replace function pg_catalog.charindex(search text, searched text) returns integer
     language sql immutable strict
     as $$ select strpos(searched, search) $$`,

  // STRTOL(num_string, base): leading white space, one sign and (base 16) a 0x prefix are
  // allowed; reading stops at the first character that is not a digit of the base, as C's strtol
  // does, so '' and '\0' give 0; the result must fit a signed 64-bit integer.
  // https://docs.aws.amazon.com/redshift/latest/dg/r_STRTOL.html
  `create or replace function pg_catalog.strtol(num_string text, base integer) returns bigint
     language plpgsql immutable strict
     as $$
     declare
       rest text := lower(regexp_replace(num_string, '^[[:space:]]+', ''));
       negative boolean := false;
       result numeric := 0;
       digit integer;
     begin
       if base < 2 or base > 36 then
         raise exception 'STRTOL base must be between 2 and 36, not %', base using errcode = '22023';
       end if;
       if left(rest, 1) in ('+', '-') then
         negative := left(rest, 1) = '-';
         rest := substr(rest, 2);
       end if;
       if base = 16 and left(rest, 2) = '0x' then rest := substr(rest, 3); end if;
       for i in 1 .. length(rest) loop
         digit := strpos('0123456789abcdefghijklmnopqrstuvwxyz', substr(rest, i, 1)) - 1;
         exit when digit < 0 or digit >= base;
         result := result * base + digit;
       end loop;
       return case when negative then -result else result end;
     end $$`,

  // REGEXP_REPLACE(source, pattern, replacement, position [, parameters]): every match from the
  // 1-based character position on; 'i' matches case-insensitively, 'c' (the default) does not.
  // https://docs.aws.amazon.com/redshift/latest/dg/REGEXP_REPLACE.html
  `create or replace function pg_catalog.redshift_regexp_replace(source text, pattern text, replacement text, start integer, parameters text) returns text
     language plpgsql immutable strict
     as $$
     declare
       first integer := greatest(start, 1);
     begin
       if strpos(parameters, 'p') > 0 then
         raise exception 'REGEXP_REPLACE with the PCRE dialect (p) is not emulated' using errcode = '0A000';
       end if;
       if first > length(source) then return source; end if;
       return left(source, first - 1)
         || regexp_replace(substr(source, first), pattern, replacement, case when strpos(parameters, 'i') > 0 then 'gi' else 'g' end);
     end $$`,
  `create or replace function pg_catalog.redshift_regexp_replace(source text, pattern text, replacement text, start integer) returns text
     language sql immutable strict
     as $$ select pg_catalog.redshift_regexp_replace(source, pattern, replacement, start, 'c') $$`,
];
