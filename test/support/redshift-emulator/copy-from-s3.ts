// Runs a Redshift `COPY … FROM 's3://…'` on the backing PostgreSQL: reads the manifest (or the
// key prefix) from the S3 endpoint, streams every part through gunzip and Redshift's CSV rules
// into one `COPY … FROM STDIN`, on the statement's own connection and transaction.

import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { quoteIdent, quoteQualified } from '../../../src/sql/quote-ident.js';
import { parseCopyCommand, type CopyCommand } from './copy-command.js';
import { csvLoadSpec, type CsvLoadSpec } from './copy-load-spec.js';
import { recordLastCopyCount } from './session-functions.js';
import { LoadRowError, RedshiftCsvReencoder, type TargetColumn } from './redshift-csv-reencoder.js';

export interface CopyContext {
  client: pg.ClientBase;
  s3: S3Client;
  signal: AbortSignal;
  strict?: boolean;
}

interface S3Object {
  url: string;
  bucket: string;
  key: string;
}

/** Loads the files and returns the number of rows loaded (what Redshift reports for COPY). */
export async function copyFromS3(sql: string, context: CopyContext): Promise<number> {
  const command = parseCopyCommand(sql);
  const spec = csvLoadSpec(command);
  const tableName = command.table.at(-1)!;
  const columns = await targetColumns(context.client, command, spec);
  const files = spec.manifest ? await manifestFiles(command.source, context) : await prefixFiles(command.source, context);

  const reencoder = new RedshiftCsvReencoder(spec, columns, context.strict ?? false);
  const copy = context.client.query(
    copyFrom(`copy ${quoteQualified(...command.table)} (${columns.map((column) => quoteIdent(column.name)).join(', ')}) from stdin with (format csv)`),
  );
  try {
    await pipeline(Readable.from(postgresCsv(files, spec, reencoder, context)), copy);
  } catch (error) {
    if (context.signal.aborted) throw error;
    // A serialization failure is the transaction's, not the data's: Redshift reports it as
    // ERROR 1023 whatever the statement, so it reaches redshift-errors.ts unwrapped.
    // https://docs.aws.amazon.com/redshift/latest/dg/c_serial_isolation-serializable-isolation-troubleshooting.html
    if ((error as { code?: string }).code === '40001') throw error;
    const reason = error instanceof LoadRowError ? `${error.message}${error.file ? ` in ${error.file}` : ''}` : errorText(error);
    // Redshift's own text; the detail stands in for the row stl_load_errors would hold.
    throw new Error(`Load into table '${tableName}' failed. Check 'stl_load_errors' system table for details.\n  Detail: ${reason}`, { cause: error });
  }
  await recordLastCopyCount(context.client, copy.rowCount);
  return copy.rowCount;
}

async function* postgresCsv(files: readonly S3Object[], spec: CsvLoadSpec, reencoder: RedshiftCsvReencoder, context: CopyContext): AsyncGenerator<string> {
  for (const file of files) {
    const response = await context.s3.send(new GetObjectCommand({ Bucket: file.bucket, Key: file.key }), { abortSignal: context.signal });
    const decoder = new TextDecoder('utf-8', { fatal: spec.acceptInvChars === undefined });
    const decode = (chunk?: Buffer): string => {
      let text: string;
      try {
        text = chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
      } catch {
        throw new LoadRowError('String contains invalid or unsupported UTF8 codepoints', 0);
      }
      return spec.acceptInvChars === undefined ? text : text.replaceAll('\uFFFD', spec.acceptInvChars);
    };
    reencoder.beginFile();
    try {
      for await (const chunk of decompressed(response.Body as Readable, spec.gzip)) {
        const out = reencoder.push(decode(chunk as Buffer));
        if (out) yield out;
      }
      const tail = reencoder.push(decode()) + reencoder.endFile();
      if (tail) yield tail;
    } catch (error) {
      if (error instanceof LoadRowError) error.file = file.url;
      throw error;
    }
  }
}

async function* decompressed(body: Readable, gzip: boolean): AsyncGenerator<Buffer> {
  if (!gzip) {
    yield* body;
    return;
  }
  const gunzip = createGunzip();
  // The pipeline owns both streams' errors and teardown. When it fails it destroys gunzip, which
  // ends the loop below with that error; when the loop stops early, gunzip's destruction ends the
  // pipeline. Either way its own rejection carries nothing new.
  const piping = pipeline(body, gunzip);
  piping.catch(() => {});
  yield* gunzip;
  await piping;
}

async function targetColumns(client: pg.ClientBase, command: CopyCommand, spec: CsvLoadSpec): Promise<TargetColumn[]> {
  const relation = quoteQualified(...command.table);
  const { rows: found } = await client.query<{ oid: number | null }>('select to_regclass($1)::oid as oid', [relation]);
  if (found[0]?.oid == null) throw new Error(`relation "${command.table.join('.')}" does not exist`);
  const { rows } = await client.query<{
    name: string;
    is_character: boolean;
    is_varchar: boolean;
    max_length: number | null;
    is_identity: boolean;
    is_decimal: boolean;
    decimal_scale: number | null;
  }>(
    `select a.attname as name,
            t.typname = 'numeric' as is_decimal,
            case when t.typname = 'numeric' and a.atttypmod > 4 then (a.atttypmod - 4) & 65535 end as decimal_scale,
            t.typcategory = 'S' as is_character,
            t.typname in ('varchar', 'text') as is_varchar,
            case when t.typname in ('varchar', 'bpchar') and a.atttypmod > 4 then a.atttypmod - 4 end as max_length,
            a.attidentity <> '' as is_identity
       from pg_attribute a join pg_type t on t.oid = a.atttypid
      where a.attrelid = $1 and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
      order by a.attnum`,
    [found[0].oid],
  );
  const all = rows.map((row) => ({
    name: row.name,
    isCharacter: row.is_character,
    isVarchar: row.is_varchar,
    maxLength: row.max_length ?? undefined,
    isIdentity: row.is_identity,
    isDecimal: row.is_decimal,
    decimalScale: row.decimal_scale ?? undefined,
  }));
  if (!command.columns) {
    // Without a column list Redshift loads every column but IDENTITY ones, unless EXPLICIT_IDS.
    return all.filter((column) => spec.explicitIds || !column.isIdentity);
  }
  return command.columns.map((name) => {
    const column = all.find((candidate) => candidate.name === name);
    if (!column) throw new Error(`column "${name}" of relation "${command.table.at(-1)}" does not exist`);
    return column;
  });
}

async function manifestFiles(source: string, context: CopyContext): Promise<S3Object[]> {
  const location = parseS3Url(source);
  let text: string;
  try {
    const response = await context.s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }), { abortSignal: context.signal });
    text = await response.Body!.transformToString();
  } catch (error) {
    if (context.signal.aborted) throw error;
    throw new Error(`Problem reading manifest file - ${s3ErrorText(error)}`, { cause: error });
  }
  const entries = manifestEntries(text);
  const files: S3Object[] = [];
  for (const entry of entries) {
    const file = parseS3Url(entry.url);
    try {
      await context.s3.send(new HeadObjectCommand({ Bucket: file.bucket, Key: file.key }), { abortSignal: context.signal });
      files.push(file);
    } catch (error) {
      if (context.signal.aborted || !isNotFound(error)) throw error;
      // Only entries marked mandatory make a missing file an error; the default is false.
      if (entry.mandatory) {
        throw new Error(`Manifest file entry '${entry.url}' is mandatory, but the file was not found: ${s3ErrorText(error)}`, { cause: error });
      }
    }
  }
  // Whatever the mandatory flags say, COPY stops when no file at all is found.
  if (files.length === 0) throw new Error(`No files found to load from manifest '${source}'`);
  return files;
}

function manifestEntries(text: string): { url: string; mandatory: boolean }[] {
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch {
    throw new Error('Manifest file is not in correct json format');
  }
  const entries = (manifest as { entries?: unknown }).entries;
  if (!Array.isArray(entries)) throw new Error('Manifest file is not in correct json format: it has no "entries" array');
  return entries.map((entry: unknown) => {
    const { url, mandatory } = (entry ?? {}) as { url?: unknown; mandatory?: unknown };
    if (typeof url !== 'string') throw new Error('Manifest file is not in correct json format: an entry has no "url"');
    return { url, mandatory: mandatory === true };
  });
}

async function prefixFiles(source: string, context: CopyContext): Promise<S3Object[]> {
  // Without MANIFEST the FROM value is a key prefix: every object that starts with it is loaded.
  const location = parseS3Url(source);
  const files: S3Object[] = [];
  let token: string | undefined;
  do {
    const page = await context.s3.send(new ListObjectsV2Command({ Bucket: location.bucket, Prefix: location.key, ContinuationToken: token }), {
      abortSignal: context.signal,
    });
    for (const object of page.Contents ?? []) {
      if (object.Key) files.push({ url: `s3://${location.bucket}/${object.Key}`, bucket: location.bucket, key: object.Key });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  if (files.length === 0) throw new Error(`The specified S3 prefix '${location.key}' does not exist`);
  return files;
}

function parseS3Url(url: string): S3Object {
  const match = /^s3:\/\/([^/]+)\/(.*)$/i.exec(url);
  if (!match || match[2] === '') throw new Error(`'${url}' is not an s3://bucket/key URL`);
  return { url, bucket: match[1]!, key: match[2]! };
}

function isNotFound(error: unknown): boolean {
  const candidate = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return candidate.name === 'NotFound' || candidate.name === 'NoSuchKey' || candidate.$metadata?.httpStatusCode === 404;
}

function s3ErrorText(error: unknown): string {
  const candidate = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = candidate.$metadata?.httpStatusCode;
  const message = status === 404 ? 'The specified key does not exist.' : candidate.message;
  return `S3ServiceException:${message},Status ${status ?? 'unknown'},Error ${candidate.name ?? 'Error'}`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
