// Redshift functions the backing PostgreSQL lacks, installed once per emulator, and the session
// state they read. pg_catalog is always on the search path, so they resolve like built-ins.
// Every statement is CREATE OR REPLACE, so installing again (a second emulator) changes nothing.

import type pg from 'pg';
import { CATALOG_VIEWS } from './functions-catalog.js';
import { DATETIME_FUNCTIONS } from './functions-datetime.js';
import { HASH_FUNCTIONS } from './functions-hash.js';
import { JSON_FUNCTIONS } from './functions-json.js';
import { MEDIAN_FUNCTIONS } from './functions-median.js';
import { reservedWordsFunctionSql } from './reserved-words.js';
import { STRING_FUNCTIONS } from './functions-strings.js';
import { TRY_CAST_FUNCTIONS } from './functions-try-cast.js';

// A custom setting is per session and rolls back with the transaction, like Redshift's counter.
const LAST_COPY_COUNT = 'redshift_emulator.last_copy_count';

const FUNCTIONS = [
  // PG_LAST_COPY_COUNT(): rows loaded by the last COPY in this session, 0 when none ran.
  `create or replace function pg_catalog.pg_last_copy_count() returns bigint
     language sql stable
     as $$ select coalesce(nullif(current_setting('${LAST_COPY_COUNT}', true), ''), '0')::bigint $$`,
  // JSON_PARSE(varchar) returns SUPER, which the emulator stores as jsonb.
  `create or replace function pg_catalog.json_parse(text) returns jsonb
     language sql immutable strict
     as $$ select $1::jsonb $$`,
  ...DATETIME_FUNCTIONS,
  ...JSON_FUNCTIONS,
  ...HASH_FUNCTIONS,
  ...STRING_FUNCTIONS,
  ...TRY_CAST_FUNCTIONS,
  ...CATALOG_VIEWS,
  ...MEDIAN_FUNCTIONS,
  reservedWordsFunctionSql(),
];

export async function installSessionFunctions(client: pg.ClientBase): Promise<void> {
  // Serialised with an advisory lock: two emulators on one database would otherwise race on
  // CREATE OR REPLACE ("tuple concurrently updated").
  await client.query('select pg_advisory_lock(7314201)');
  try {
    for (const sql of FUNCTIONS) await client.query(sql);
  } finally {
    await client.query('select pg_advisory_unlock(7314201)');
  }
}

export async function recordLastCopyCount(client: pg.ClientBase, rows: number): Promise<void> {
  await client.query('select set_config($1, $2, false)', [LAST_COPY_COUNT, String(rows)]);
}
