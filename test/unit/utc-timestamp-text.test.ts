import { describe, expect, it } from 'vitest';
import { utcTimestampText } from '../../src/batch/utc-timestamp-text.js';

describe('utcTimestampText()', () => {
  it('writes a date as the UTC timestamptz text the extract writes for every row, microseconds and offset included', () => {
    expect(utcTimestampText(new Date('2026-11-23T01:02:03.456Z'))).toBe('2026-11-23 01:02:03.456000+00:00');
    expect(utcTimestampText(new Date('2026-11-23T00:00:00Z'))).toBe('2026-11-23 00:00:00.000000+00:00');
  });
});
