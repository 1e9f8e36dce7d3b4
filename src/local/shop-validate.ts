// Checks the options of the shop demo generator once, at the edge, naming the option and limit.

import { ConfigError } from '../errors.js';

export const MAX_SEED = 2_147_483_647;

export function checkInteger(option: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`shop data: ${option} must be an integer from ${min} to ${max}, got ${String(value)}`, { option });
  }
}

/** Milliseconds since the epoch of midnight UTC of a `YYYY-MM-DD` date. */
export function parseUtcDate(option: string, value: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const time = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  // The round trip rejects dates that do not exist (2024-02-30) instead of rolling them over.
  if (!match || Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== value) {
    throw new ConfigError(`shop data: ${option} must be a date written YYYY-MM-DD, got ${JSON.stringify(value)}`, { option });
  }
  return time;
}
