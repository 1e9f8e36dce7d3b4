// Redshift's date functions that PostgreSQL lacks or types differently, as PostgreSQL functions:
// DATEADD, DATEDIFF, ADD_MONTHS, MONTHS_BETWEEN, CONVERT_TIMEZONE and DATE_TRUNC on a DATE.
// Each takes DATE, TIMESTAMP, TIMESTAMPTZ, TIME or a string literal, as Redshift does.

import { DATEPARTS, INTERVAL_DATEPARTS } from './dateparts.js';

const spellings = [...DATEPARTS].map(([spelling, unit]) => `when '${spelling}' then '${unit}'`).join(' ');

export const DATETIME_FUNCTIONS: readonly string[] = [
  // The unit a Redshift date part spelling stands for; NULL when Redshift does not know it.
  `create or replace function pg_catalog.redshift_datepart(spelling text) returns text
     language sql immutable strict
     as $$ select case lower(btrim(spelling)) ${spellings} end $$`,

  `create or replace function pg_catalog.redshift_interval_datepart(spelling text, caller text) returns text
     language plpgsql immutable strict
     as $$
     declare
       unit text := pg_catalog.redshift_datepart(spelling);
     begin
       if unit is null or unit <> all (array[${INTERVAL_DATEPARTS.map((unit) => `'${unit}'`).join(', ')}]) then
         raise exception '% does not support the date part "%"', caller, spelling using errcode = '22023';
       end if;
       return unit;
     end $$`,

  // Whole years keep month and day; a 29 February that does not exist in the target year rolls
  // over to 1 March: DATEADD(year, 1, '2016-02-29') is 2017-03-01 while DATEADD(month, 12, …) is
  // 2017-02-28. https://docs.aws.amazon.com/redshift/latest/dg/r_DATEADD_function.html (Usage notes)
  `create or replace function pg_catalog.redshift_add_years(value timestamp, years bigint) returns timestamp
     language sql immutable strict
     as $$ select date_trunc('month', value) + years * interval '1 year' + (value - date_trunc('month', value)) $$`,

  // DATEADD returns TIMESTAMP for DATE and TIMESTAMP input. Months (and quarters) keep the day
  // where the result month has it and clamp to its last day otherwise (2008-01-31 + 1 month is
  // 2008-02-29), which is PostgreSQL's interval arithmetic; 30 April + 1 month is 30 May, not the
  // month end ADD_MONTHS would give. https://docs.aws.amazon.com/redshift/latest/dg/r_DATEADD_function.html
  `create or replace function pg_catalog.dateadd(datepart text, amount bigint, value timestamp) returns timestamp
     language plpgsql immutable strict
     as $$
     begin
       return case pg_catalog.redshift_interval_datepart(datepart, 'DATEADD')
         when 'millennium' then pg_catalog.redshift_add_years(value, amount * 1000)
         when 'century' then pg_catalog.redshift_add_years(value, amount * 100)
         when 'decade' then pg_catalog.redshift_add_years(value, amount * 10)
         when 'year' then pg_catalog.redshift_add_years(value, amount)
         when 'quarter' then value + amount * interval '3 months'
         when 'month' then value + amount * interval '1 month'
         when 'week' then value + amount * interval '7 days'
         when 'day' then value + amount * interval '1 day'
         when 'hour' then value + amount * interval '1 hour'
         when 'minute' then value + amount * interval '1 minute'
         when 'second' then value + amount * interval '1 second'
         when 'millisecond' then value + amount * interval '1 millisecond'
         when 'microsecond' then value + amount * interval '1 microsecond'
       end;
     end $$`,
  `create or replace function pg_catalog.dateadd(datepart text, amount bigint, value date) returns timestamp
     language sql immutable strict
     as $$ select pg_catalog.dateadd(datepart, amount, value::timestamp) $$`,
  // TIMESTAMPTZ stays TIMESTAMPTZ; the arithmetic happens in UTC, Redshift's session time zone.
  `create or replace function pg_catalog.dateadd(datepart text, amount bigint, value timestamptz) returns timestamptz
     language sql immutable strict
     as $$ select pg_catalog.dateadd(datepart, amount, value at time zone 'UTC') at time zone 'UTC' $$`,
  // TIME wraps around midnight: 13:24:55 + 12 hours is 01:24:55.
  `create or replace function pg_catalog.dateadd(datepart text, amount bigint, value time) returns time
     language sql immutable strict
     as $$ select pg_catalog.dateadd(datepart, amount, date '2000-01-01' + value)::time $$`,
  // A string literal is read as a TIMESTAMP (without this, PostgreSQL would pick TIMESTAMPTZ).
  `create or replace function pg_catalog.dateadd(datepart text, amount bigint, value text) returns timestamp
     language sql stable strict
     as $$ select pg_catalog.dateadd(datepart, amount, value::timestamp) $$`,

  // DATEDIFF counts the date part boundaries crossed between the two values (31 December to
  // 1 January is one year), negative when the second is earlier.
  // https://docs.aws.amazon.com/redshift/latest/dg/r_DATEDIFF_function.html
  // Weeks: the page does not say on which day Redshift's weeks start; Monday is taken, the week
  // start of DATE_TRUNC('week', …) (https://docs.aws.amazon.com/redshift/latest/dg/r_DATE_TRUNC.html),
  // which also matches the page's only example (2009-01-01 to 2009-12-31 is 52 weeks).
  `create or replace function pg_catalog.datediff(datepart text, first_value timestamp, second_value timestamp) returns bigint
     language plpgsql immutable strict
     as $$
     declare
       years bigint := extract(year from second_value) - extract(year from first_value);
     begin
       return case pg_catalog.redshift_interval_datepart(datepart, 'DATEDIFF')
         when 'millennium' then extract(millennium from second_value) - extract(millennium from first_value)
         when 'century' then extract(century from second_value) - extract(century from first_value)
         when 'decade' then floor(extract(year from second_value) / 10) - floor(extract(year from first_value) / 10)
         when 'year' then years
         when 'quarter' then years * 4 + extract(quarter from second_value) - extract(quarter from first_value)
         when 'month' then years * 12 + extract(month from second_value) - extract(month from first_value)
         when 'week' then (date_trunc('week', second_value)::date - date_trunc('week', first_value)::date) / 7
         when 'day' then second_value::date - first_value::date
         when 'hour' then floor(extract(epoch from second_value) / 3600) - floor(extract(epoch from first_value) / 3600)
         when 'minute' then floor(extract(epoch from second_value) / 60) - floor(extract(epoch from first_value) / 60)
         when 'second' then floor(extract(epoch from second_value)) - floor(extract(epoch from first_value))
         when 'millisecond' then floor(extract(epoch from second_value) * 1000) - floor(extract(epoch from first_value) * 1000)
         when 'microsecond' then floor(extract(epoch from second_value) * 1000000) - floor(extract(epoch from first_value) * 1000000)
       end;
     end $$`,
  `create or replace function pg_catalog.datediff(datepart text, first_value date, second_value date) returns bigint
     language sql immutable strict
     as $$ select pg_catalog.datediff(datepart, first_value::timestamp, second_value::timestamp) $$`,
  `create or replace function pg_catalog.datediff(datepart text, first_value timestamptz, second_value timestamptz) returns bigint
     language sql immutable strict
     as $$ select pg_catalog.datediff(datepart, first_value at time zone 'UTC', second_value at time zone 'UTC') $$`,
  `create or replace function pg_catalog.datediff(datepart text, first_value time, second_value time) returns bigint
     language sql immutable strict
     as $$ select pg_catalog.datediff(datepart, date '2000-01-01' + first_value, date '2000-01-01' + second_value) $$`,
  `create or replace function pg_catalog.datediff(datepart text, first_value text, second_value text) returns bigint
     language sql stable strict
     as $$ select pg_catalog.datediff(datepart, first_value::timestamp, second_value::timestamp) $$`,

  // ADD_MONTHS, unlike DATEADD, keeps a month end a month end: 2008-04-30 + 1 is 2008-05-31.
  // https://docs.aws.amazon.com/redshift/latest/dg/r_ADD_MONTHS.html
  `create or replace function pg_catalog.add_months(value timestamp, months bigint) returns timestamp
     language sql immutable strict
     as $$
       select case
         when value::date = (date_trunc('month', value) + interval '1 month' - interval '1 day')::date
           then date_trunc('month', value) + (months + 1) * interval '1 month' - interval '1 day' + (value - date_trunc('day', value))
         else value + months * interval '1 month'
       end $$`,
  `create or replace function pg_catalog.add_months(value date, months bigint) returns timestamp
     language sql immutable strict
     as $$ select pg_catalog.add_months(value::timestamp, months) $$`,
  `create or replace function pg_catalog.add_months(value text, months bigint) returns timestamp
     language sql stable strict
     as $$ select pg_catalog.add_months(value::timestamp, months) $$`,

  // MONTHS_BETWEEN: whole months from year and month; a fraction of a 31-day month from days and
  // times, except when both fall on the same day of the month or both on a month's last day.
  // https://docs.aws.amazon.com/redshift/latest/dg/r_MONTHS_BETWEEN_function.html
  `create or replace function pg_catalog.months_between(first_value timestamp, second_value timestamp) returns double precision
     language plpgsql immutable strict
     as $$
     declare
       months numeric := (extract(year from first_value) - extract(year from second_value)) * 12
         + extract(month from first_value) - extract(month from second_value);
       first_is_month_end boolean := (first_value + interval '1 day')::date = date_trunc('month', first_value + interval '1 day')::date;
       second_is_month_end boolean := (second_value + interval '1 day')::date = date_trunc('month', second_value + interval '1 day')::date;
     begin
       if extract(day from first_value) = extract(day from second_value) or (first_is_month_end and second_is_month_end) then
         return months;
       end if;
       return months + (extract(epoch from first_value - date_trunc('month', first_value))
         - extract(epoch from second_value - date_trunc('month', second_value))) / (31 * 86400);
     end $$`,
  `create or replace function pg_catalog.months_between(first_value date, second_value date) returns double precision
     language sql immutable strict
     as $$ select pg_catalog.months_between(first_value::timestamp, second_value::timestamp) $$`,
  `create or replace function pg_catalog.months_between(first_value text, second_value text) returns double precision
     language sql stable strict
     as $$ select pg_catalog.months_between(first_value::timestamp, second_value::timestamp) $$`,

  // CONVERT_TIMEZONE([source,] target, timestamp): the wall-clock time in the target zone of a
  // TIMESTAMP read in the source zone (UTC by default), as a TIMESTAMP. Names follow daylight
  // saving, abbreviations are fixed offsets and POSIX offsets count west of Greenwich, as in
  // PostgreSQL. https://docs.aws.amazon.com/redshift/latest/dg/CONVERT_TIMEZONE.html
  `create or replace function pg_catalog.convert_timezone(target text, value timestamp) returns timestamp
     language sql stable strict
     as $$ select (value at time zone 'UTC') at time zone target $$`,
  `create or replace function pg_catalog.convert_timezone(source text, target text, value timestamp) returns timestamp
     language sql stable strict
     as $$ select (value at time zone source) at time zone target $$`,
  // A TIMESTAMPTZ already names its instant, so only the target zone matters.
  `create or replace function pg_catalog.convert_timezone(target text, value timestamptz) returns timestamp
     language sql stable strict
     as $$ select value at time zone target $$`,
  `create or replace function pg_catalog.convert_timezone(target text, value text) returns timestamp
     language sql stable strict
     as $$ select pg_catalog.convert_timezone(target, value::timestamp) $$`,
  `create or replace function pg_catalog.convert_timezone(source text, target text, value text) returns timestamp
     language sql stable strict
     as $$ select pg_catalog.convert_timezone(source, target, value::timestamp) $$`,

  // DATE_TRUNC returns TIMESTAMP; on a DATE PostgreSQL would go through TIMESTAMPTZ instead.
  // https://docs.aws.amazon.com/redshift/latest/dg/r_DATE_TRUNC.html
  `create or replace function pg_catalog.date_trunc(datepart text, value date) returns timestamp
     language sql immutable strict
     as $$ select date_trunc(datepart, value::timestamp) $$`,
];
