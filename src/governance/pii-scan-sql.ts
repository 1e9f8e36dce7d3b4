// The query behind the no_pii data test, built in TypeScript from the same patterns, so the
// scanner and the test detect exactly the same things. It returns one row per column and kind
// found: column_name, pii_type, n_records. A unit test compares it with the macro's output.

import { quoteIdent, quoteLiteral } from '../sql/quote-ident.js';
import type { Dialect } from '../warehouse/warehouse.js';
import { CARD_DIGITS_PATTERN, CARD_PATTERN, EMAIL_PATTERN, PHONE_PATTERN } from './pii-patterns.js';

// Longest card number; the Luhn sum has one term per digit position.
const MAX_CARD_DIGITS = 19;

/** `relationSql` is already quoted (`"schema"."table"`); columns are plain names. */
export function piiScanSql(dialect: Dialect, relationSql: string, columns: readonly string[]): string {
  if (columns.length === 0) throw new Error('a PII scan needs at least one column');
  // Redshift's plain varchar is varchar(256), which would cut long values short.
  const text = dialect === 'redshift' ? 'varchar(65535)' : 'text';
  const scanned = columns
    .map((column) => `select ${quoteLiteral(column)} as column_name, cast(${quoteIdent(column)} as ${text}) as value from ${relationSql}`)
    .join('\n    union all\n    ');
  return `with scanned as (
    ${scanned}
),
classified as (
    select
        column_name,
        case when value ~ '${EMAIL_PATTERN}' then 1 else 0 end as is_email,
        case when value ~ '${PHONE_PATTERN}' then 1 else 0 end as is_phone,
        replace(replace(regexp_substr(regexp_substr(value, '${CARD_PATTERN}'), '${CARD_DIGITS_PATTERN}'), ' ', ''), '-', '') as card_digits
    from scanned
    where value is not null
),
checked as (
    select
        column_name,
        is_email,
        is_phone,
        case
            when coalesce(length(card_digits), 0) < 13 then 0
            when mod(${luhnSum('card_digits')}, 10) = 0 then 1
            else 0
        end as is_card
    from classified
),
counted as (
    select column_name, 'email' as pii_type, sum(is_email) as n_records from checked group by column_name
    union all
    select column_name, 'phone' as pii_type, sum(is_phone) as n_records from checked group by column_name
    union all
    select column_name, 'card_number' as pii_type, sum(is_card) as n_records from checked group by column_name
)
select column_name, pii_type, n_records
from counted
where n_records > 0`;
}

/** Luhn sum of a digit string, position by position from the right, in portable SQL. */
function luhnSum(digits: string): string {
  const terms: string[] = [];
  for (let position = 1; position <= MAX_CARD_DIGITS; position++) {
    const digit = `substring(${digits}, length(${digits}) - ${position - 1}, 1)`;
    // Doubled digits: 2×d with its digits summed is '0246813579'[d].
    const value = position % 2 === 0 ? `substring('0246813579', cast(${digit} as integer) + 1, 1)` : digit;
    terms.push(`case when length(${digits}) >= ${position} then cast(${value} as integer) else 0 end`);
  }
  return `\n                ${terms.join('\n                + ')}`;
}
