// `pgshift freshness`: how old the newest loaded row of each source is, against the
// warn_after / error_after thresholds declared in schema.yml (dbt's source freshness).

import type { FreshnessThreshold, Manifest, SourceNode } from '../manifest/index.js';
import { quoteIdent } from '../sql/quote-ident.js';
import type { Warehouse } from '../warehouse/warehouse.js';

export interface FreshnessResult {
  readonly uniqueId: string;
  readonly status: 'pass' | 'warn' | 'error' | 'runtime error';
  readonly maxLoadedAt: string | null;
  readonly ageSeconds: number | null;
  readonly message: string;
}

const PERIOD_SECONDS = { minute: 60, hour: 3600, day: 86400 } as const;

function seconds(threshold: FreshnessThreshold | null): number | undefined {
  return threshold ? threshold.count * PERIOD_SECONDS[threshold.period] : undefined;
}

export async function checkFreshness(warehouse: Warehouse, manifest: Manifest, ids: readonly string[], now: Date = new Date()): Promise<FreshnessResult[]> {
  const sources = ids.map((id) => manifest.sources[id]).filter((source): source is SourceNode => Boolean(source?.freshness && source.loaded_at_field));
  return Promise.all(sources.map((source) => checkOne(warehouse, source, now)));
}

async function checkOne(warehouse: Warehouse, source: SourceNode, now: Date): Promise<FreshnessResult> {
  const field = source.loaded_at_field!;
  const freshness = source.freshness!;
  const where = freshness.filter ? ` where ${freshness.filter}` : '';
  try {
    const [row] = await warehouse.query<{ max_loaded_at: string | Date | null }>(
      `select max(${quoteIdent(field)}) as max_loaded_at from ${source.relation_name}${where}`,
    );
    const value = row?.max_loaded_at ?? null;
    if (value === null)
      return { uniqueId: source.unique_id, status: 'error', maxLoadedAt: null, ageSeconds: null, message: `${source.relation_name} has no rows` };
    const loadedAt = value instanceof Date ? value : new Date(String(value).replace(' ', 'T').replace(/\+00$/, 'Z'));
    const age = (now.getTime() - loadedAt.getTime()) / 1000;
    const errorAfter = seconds(freshness.error_after);
    const warnAfter = seconds(freshness.warn_after);
    const status = errorAfter !== undefined && age > errorAfter ? 'error' : warnAfter !== undefined && age > warnAfter ? 'warn' : 'pass';
    const hours = (age / 3600).toFixed(1);
    return {
      uniqueId: source.unique_id,
      status,
      maxLoadedAt: loadedAt.toISOString(),
      ageSeconds: Math.round(age),
      message: `newest ${field} is ${hours} h old`,
    };
  } catch (error) {
    return {
      uniqueId: source.unique_id,
      status: 'runtime error',
      maxLoadedAt: null,
      ageSeconds: null,
      message: error instanceof Error ? error.message : String(error),
    };
  }
}
