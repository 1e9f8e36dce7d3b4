// "Now" as the interval logic sees it: which day is yesterday, whether an interval has ended.
// PGSHIFT_NOW (an ISO timestamp) pins it, so a catch-up over missed days can be rehearsed, and
// tested, as if it ran on another day; it is read here and nowhere else.

import { ConfigError } from '../errors.js';

export const NOW_ENV = 'PGSHIFT_NOW';

export function currentTime(env: NodeJS.ProcessEnv = process.env): Date {
  const pinned = env[NOW_ENV];
  if (!pinned) return new Date();
  const value = new Date(pinned);
  if (Number.isNaN(value.getTime())) throw new ConfigError(`${NOW_ENV}=${pinned}: expected an ISO timestamp such as 2026-11-26T05:00:00Z, or unset it`);
  return value;
}
