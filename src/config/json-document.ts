// Reads back a JSON file pgshift wrote earlier (batch.json, manifest.json, run_results.json):
// parsed and checked against a zod schema, so that a truncated or hand-edited file is one
// sentence naming what is wrong, never a TypeError further on. Callers add the file name and
// what to do, and pick their error class.

import type { z } from 'zod';
import { describeZodIssue } from '../util/zod-issue.js';

export type JsonDocumentResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

export function parseJsonDocument<S extends z.ZodType>(text: string, schema: S): JsonDocumentResult<z.output<S>> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: `not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  const result = schema.safeParse(raw);
  if (!result.success) return { ok: false, problem: describeZodIssue(result.error.issues[0]!, raw, '') };
  return { ok: true, value: result.data };
}
