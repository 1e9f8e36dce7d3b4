// The statement that fills `customers`: German/EU names, addresses as JSON text, phones and
// emails typed the many ways real people type them, and a fake national id (PII).

import type { ShopWindow, Statement } from './shop-expressions.js';
import { randomInt, pick, uniform, weighted } from './shop-random.js';
import { CITIES, EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, MOBILE_PREFIXES, STREETS } from './shop-vocabulary.js';

/** Random streams 100–199. */
const STREAM = {
  firstName: 100,
  lastName: 101,
  city: 102,
  street: 103,
  houseNumber: 104,
  houseLetter: 105,
  postalCode: 106,
  lat: 107,
  lon: 108,
  emailLocal: 109,
  emailNumber: 110,
  emailYear: 111,
  emailDomain: 112,
  emailSpelling: 113,
  phoneFormat: 114,
  mobilePrefix: 115,
  phoneDigits: 116,
  landlineDigits: 117,
  birthDate: 118,
  nationalIdFirst: 119,
  nationalIdRest: 120,
  nationalIdMissing: 121,
  birthDateMissing: 122,
  addressShape: 123,
  truncate: 124,
  updated: 125,
  updatedAfter: 126,
  landlineLength: 127,
  signUp: 128,
} as const;

/** Email addresses are ASCII: umlauts spelled out, accents and spaces dropped. */
function asciiLower(name: string): string {
  const spelledOut = [
    ['ä', 'ae'],
    ['ö', 'oe'],
    ['ü', 'ue'],
    ['ß', 'ss'],
  ].reduce((sql, [from, to]) => `replace(${sql}, '${from}', '${to}')`, `lower(${name})`);
  return `translate(${spelledOut}, 'áéíóúàèçı ', 'aeiouaeci')`;
}

/**
 * Inserts customers 1..count. Customer `id` signs up within the slot `[id - 1, id) / count`
 * of the window, so ids follow sign-up order and an order can pick only customers who exist
 * by then. Parameters: $1–$3 the window, $4 the count, $5… the vocabulary.
 */
export function insertCustomers(window: ShopWindow, count: number): Statement {
  const cityCount = CITIES.length;
  const text = `
insert into public.customers (id, first_name, last_name, email, phone, birth_date, address, national_id, created_at, updated_at)
select
  id,
  first_name,
  last_name,
  ${weighted('id', STREAM.emailSpelling, [
    [85, 'email'],
    [6, 'initcap(email)'],
    [3, 'upper(email)'],
    [3, `' ' || email`],
    [2, `email || ' '`],
    [1, 'null'],
  ])},
  phone,
  birth_date,
  ${weighted('id', STREAM.addressShape, [
    [80, 'full_address'],
    [4, `format('{"street":%s,"city":%s,"postal_code":%s,"country":%s}', to_json(street), to_json(city), to_json(postal_code), to_json(country))`],
    [3, `format('{"street":%s,"city":%s,"country":%s,"geo":{"lat":%s,"lon":%s}}', to_json(street), to_json(city), to_json(country), lat, lon)`],
    [
      2,
      `format('{"street":%s,"city":%s,"postal_code":%s,"country":%s,"geo":{"lat":%s}}', to_json(street), to_json(city), to_json(postal_code), to_json(country), lat)`,
    ],
    [1, `format('{"city":%s}', to_json(city))`],
    [1, `'{}'`],
    // Malformed: a write cut short, a Python dict repr, a trailing comma.
    [1, `left(full_address, length(full_address) - 1 - ${randomInt('id', STREAM.truncate, 20)}::int)`],
    [1, `format('{''street'': ''%s'', ''city'': ''%s''}', street, city)`],
    [1, `format('{"street":%s,"city":%s,}', to_json(street), to_json(city))`],
    [6, 'null'],
  ])},
  national_id,
  $2::timestamptz + interval '1 microsecond' * created_us,
  $2::timestamptz + interval '1 microsecond' * (created_us + ${weighted('id', STREAM.updated, [
    [75, '0'],
    [25, randomInt('id', STREAM.updatedAfter, '$3::bigint - created_us')],
  ])})
from (
  select
    id, first_name, last_name, phone, birth_date, national_id, created_us, street, city, postal_code, country, lat, lon,
    ${weighted('id', STREAM.emailLocal, [
      [45, `first_ascii || '.' || last_ascii`],
      [20, `left(first_ascii, 1) || '.' || last_ascii`],
      [20, `first_ascii || last_ascii || ${randomInt('id', STREAM.emailNumber, 100)}::text`],
      [15, `last_ascii || '.' || first_ascii || (1950 + ${randomInt('id', STREAM.emailYear, 56)})::text`],
    ])} || '@' || ${pick('id', STREAM.emailDomain, '$7::text[]')} as email,
    format('{"street":%s,"city":%s,"postal_code":%s,"country":%s,"geo":{"lat":%s,"lon":%s}}',
      to_json(street), to_json(city), to_json(postal_code), to_json(country), lat, lon) as full_address
  from (
    select
      id, first_name, last_name, created_us,
      ${asciiLower('first_name')} as first_ascii,
      ${asciiLower('last_name')} as last_ascii,
      ${pick('id', STREAM.street, '$9::text[]')} || ' ' || (1 + ${randomInt('id', STREAM.houseNumber, 120)})::text
        || ${weighted('id', STREAM.houseLetter, [
          [92, `''`],
          [8, `'a'`],
        ])} as street,
      ($10::text[])[city_index] as city,
      lpad((($14::int[])[city_index] + ${randomInt('id', STREAM.postalCode, `($15::int[])[city_index] - ($14::int[])[city_index] + 1`)})::text,
        ($16::int[])[city_index], '0') as postal_code,
      ($11::text[])[city_index] as country,
      round((($12::float8[])[city_index] + (${uniform('id', STREAM.lat)} - 0.5) * 0.08)::numeric, 5) as lat,
      round((($13::float8[])[city_index] + (${uniform('id', STREAM.lon)} - 0.5) * 0.12)::numeric, 5) as lon,
      ${weighted('id', STREAM.phoneFormat, [
        [35, `'+49 ' || mobile || ' ' || digits`],
        [25, `'0' || mobile || '/' || digits`],
        [20, `'(' || ($17::text[])[city_index] || ') ' || left(landline, 3) || '-' || substr(landline, 4)`],
        [10, `'+49' || mobile || digits`],
        [10, 'null'],
      ])} as phone,
      ${weighted('id', STREAM.birthDateMissing, [
        [97, `date '1950-01-01' + ${randomInt('id', STREAM.birthDate, 20454)}::int`],
        [3, 'null::date'],
      ])} as birth_date,
      ${weighted('id', STREAM.nationalIdMissing, [
        [98, `(1 + ${randomInt('id', STREAM.nationalIdFirst, 9)})::text || lpad(${randomInt('id', STREAM.nationalIdRest, 10_000_000_000)}::text, 10, '0')`],
        [2, 'null'],
      ])} as national_id
    from (
      select
        id,
        ${pick('id', STREAM.firstName, '$5::text[]')} as first_name,
        ${pick('id', STREAM.lastName, '$6::text[]')} as last_name,
        -- Big cities first: u^1.5 favours the front of the list.
        1 + floor(power(${uniform('id', STREAM.city)}, 1.5) * ${cityCount})::int as city_index,
        ${pick('id', STREAM.mobilePrefix, '$8::text[]')} as mobile,
        lpad(${randomInt('id', STREAM.phoneDigits, 10_000_000)}::text, 7, '0') as digits,
        lpad(${randomInt('id', STREAM.landlineDigits, 10_000_000)}::text, 6 + ${randomInt('id', STREAM.landlineLength, 2)}::int, '0') as landline,
        -- Customer 1 opens the shop at the window's start; each later one signs up at a
        -- random moment of its own slot [id - 1, id) × span / count, keeping ids in order.
        case when id = 1 then 0::bigint
          else floor((id - 1 + ${uniform('id', STREAM.signUp)}) * $3::bigint::float8 / $4::bigint::float8)::bigint end as created_us
      from generate_series(1, $4::bigint) as g (id)
      offset 0
    ) as picked
    offset 0
  ) as parts
  offset 0
) as composed`;
  const values = [
    window.seed,
    window.startIso,
    window.spanMicros,
    count,
    [...FIRST_NAMES],
    [...LAST_NAMES],
    [...EMAIL_DOMAINS],
    [...MOBILE_PREFIXES],
    [...STREETS],
    CITIES.map((city) => city.name),
    CITIES.map((city) => city.country),
    CITIES.map((city) => city.lat),
    CITIES.map((city) => city.lon),
    CITIES.map((city) => city.postalMin),
    CITIES.map((city) => city.postalMax),
    CITIES.map((city) => city.postalDigits),
    CITIES.map((city) => city.areaCode),
  ];
  return { text, values };
}
