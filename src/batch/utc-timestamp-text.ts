// `YYYY-MM-DD HH:MI:SS.ffffff+00:00`: the TIMESTAMPTZ form the extract writes (extract-plan.ts
// timestamptzValue()) and both warehouses read, as COPY input and as a literal cast to timestamptz
// (https://docs.aws.amazon.com/redshift/latest/dg/r_DATEFORMAT_and_TIMEFORMAT_strings.html).
export function utcTimestampText(date: Date): string {
  return `${date.toISOString().replace('T', ' ').replace('Z', '')}000+00:00`;
}
