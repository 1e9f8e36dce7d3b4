// Validates one layer of configuration against its kind's schema and reports the first
// problem as a sentence; callers add the file (and line) they know.

import { ConfigError } from '../errors.js';
import { CONFIG_INPUTS, configKeys, normalizeConfigKeys, type ConfigKind, type ConfigLayer } from '../manifest/node-config.js';
import { describeZodIssue, isRecord } from '../util/zod-issue.js';

export type LayerResult = { ok: true; layer: ConfigLayer } | { ok: false; problem: string };

/** `keyPrefix` is where the layer sits (`models.orders.config`), for the message. */
export function validateConfigLayer(kind: ConfigKind, raw: unknown, keyPrefix: string): LayerResult {
  if (!isRecord(raw)) return { ok: false, problem: `${keyPrefix || 'config'} must be a mapping of config keys` };
  const input = normalizeConfigKeys(raw);
  const result = CONFIG_INPUTS[kind].safeParse(input);
  if (result.success) return { ok: true, layer: result.data as ConfigLayer };
  const problem = describeZodIssue(result.error.issues[0]!, input, keyPrefix, (path) => (path.length === 0 ? configKeys(kind) : []));
  return { ok: false, problem };
}

/** A layer from schema.yml or a test entry, or a ConfigError naming the file and key path. */
export function configLayerOrThrow(kind: ConfigKind, raw: Record<string, unknown> | undefined, file: string, keyPath: string): ConfigLayer {
  if (raw === undefined) return {};
  const result = validateConfigLayer(kind, raw, keyPath);
  if (!result.ok) throw new ConfigError(`${file}: ${result.problem}`, { file });
  return result.layer;
}
