// MEDIAN(expr) as a PostgreSQL aggregate, so it also runs as a window function (PostgreSQL's
// percentile_cont, an ordered-set aggregate, cannot). NULLs are ignored; an even count gives the
// mean of the two middle values, as PERCENTILE_CONT(0.5) does.
// https://docs.aws.amazon.com/redshift/latest/dg/r_MEDIAN.html

// Integer and decimal input gives a decimal, floating point gives double precision: PostgreSQL
// would resolve an integer argument to the double precision aggregate if only the two existed.
const VARIANTS = [
  { input: 'smallint', state: 'numeric' },
  { input: 'integer', state: 'numeric' },
  { input: 'bigint', state: 'numeric' },
  { input: 'numeric', state: 'numeric' },
  { input: 'real', state: 'double precision' },
  { input: 'double precision', state: 'double precision' },
] as const;

// The mean of two decimals carries PostgreSQL's division scale (1.5000000000000000); trim_scale
// keeps it as short as the value needs.
const finalFunction = (state: string, mean: string): string =>
  `create or replace function pg_catalog.redshift_median_final(collected ${state}[]) returns ${state}
     language sql immutable
     as $$
       select case
         when cardinality(sorted) = 0 then null
         when cardinality(sorted) % 2 = 1 then sorted[(cardinality(sorted) + 1) / 2]
         else ${mean}
       end
       from (select array(select v from unnest(collected) as v order by v) as sorted) as ordered $$`;

export const MEDIAN_FUNCTIONS: readonly string[] = [
  finalFunction('numeric', 'trim_scale((sorted[cardinality(sorted) / 2] + sorted[cardinality(sorted) / 2 + 1]) / 2)'),
  finalFunction('double precision', '(sorted[cardinality(sorted) / 2] + sorted[cardinality(sorted) / 2 + 1]) / 2'),
  ...VARIANTS.flatMap(({ input, state }) => [
    // Strict with a non-NULL initial state: PostgreSQL skips NULL inputs.
    `create or replace function pg_catalog.redshift_median_step(collected ${state}[], value ${input}) returns ${state}[]
       language sql immutable strict
       as $$ select collected || value::${state} $$`,
    `create or replace aggregate pg_catalog.median(${input}) (
       sfunc = pg_catalog.redshift_median_step, stype = ${state}[], initcond = '{}', finalfunc = pg_catalog.redshift_median_final)`,
  ]),
];
