import { describe, expect, it } from 'vitest';
import { batchIdFor, intervalFromFlags } from '../../src/batch/interval.js';

describe('the run interval', () => {
  it('is one UTC day for --date, half-open', () => {
    const interval = intervalFromFlags({ date: '2026-11-23' });
    expect(interval.start.toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(interval.end.toISOString()).toBe('2026-11-24T00:00:00.000Z');
  });

  it('defaults to yesterday in UTC', () => {
    const interval = intervalFromFlags({}, new Date('2026-11-24T01:30:00+05:00'));
    expect(interval.start.toISOString()).toBe('2026-11-22T00:00:00.000Z');
  });

  it('takes --start and --end as dates or timestamps, UTC unless a zone is given', () => {
    const interval = intervalFromFlags({ start: '2026-11-23T06:00:00', end: '2026-11-23T12:00:00+01:00' });
    expect(interval.start.toISOString()).toBe('2026-11-23T06:00:00.000Z');
    expect(interval.end.toISOString()).toBe('2026-11-23T11:00:00.000Z');
  });

  it('explains bad flags', () => {
    expect(() => intervalFromFlags({ date: '2026-11-23', start: '2026-11-01' })).toThrow('--date cannot be combined with --start/--end; use one or the other');
    expect(() => intervalFromFlags({ start: '2026-11-01' })).toThrow('--start and --end go together; give both (end is exclusive)');
    expect(() => intervalFromFlags({ start: '2026-11-02', end: '2026-11-01' })).toThrow('--end 2026-11-01 must be after --start 2026-11-02');
    expect(() => intervalFromFlags({ date: 'yesterday' })).toThrow('--date yesterday: expected YYYY-MM-DD or an ISO timestamp');
  });

  it('refuses a day the calendar does not have instead of rolling it over', () => {
    expect(() => intervalFromFlags({ date: '2026-02-30' })).toThrow(
      '--date 2026-02-30: 2026-02-30 is not a day of the calendar; give a real date as YYYY-MM-DD',
    );
    expect(() => intervalFromFlags({ date: '2026-11-31' })).toThrow('--date 2026-11-31: 2026-11-31 is not a day of the calendar');
    expect(() => intervalFromFlags({ date: '2026-13-01' })).toThrow('not a day of the calendar');
    expect(() => intervalFromFlags({ start: '2026-02-29', end: '2026-03-01' })).toThrow('--start 2026-02-29: 2026-02-29 is not a day of the calendar');
    expect(() => intervalFromFlags({ start: '2026-02-01', end: '2026-04-31T00:00:00Z' })).toThrow('--end 2026-04-31T00:00:00Z: 2026-04-31 is not a day');
    expect(() => intervalFromFlags({ start: '2026-11-23T24:00:00Z', end: '2026-11-24' })).toThrow('--start 2026-11-23T24:00:00Z: not a time of day');
    expect(() => intervalFromFlags({ start: '2026-11-23T06:60', end: '2026-11-24' })).toThrow('not a time of day');
    expect(() => intervalFromFlags({ start: '2026-11-23T06:00:00+25:00', end: '2026-11-24' })).toThrow('not a time of day');
    expect(() => intervalFromFlags({ start: 'next monday', end: '2026-11-24' })).toThrow('--start next monday: expected YYYY-MM-DD or an ISO timestamp');
    // A leap year's 29 February is a real day.
    expect(intervalFromFlags({ date: '2024-02-29' }).start.toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(intervalFromFlags({ start: '2026-11-23T06:00:00.250+0130', end: '2026-11-24' }).start.toISOString()).toBe('2026-11-23T04:30:00.250Z');
  });

  it('refuses an interval that has not ended yet unless it is asked for', () => {
    const now = new Date('2026-12-01T23:20:00Z');
    expect(() => intervalFromFlags({ date: '2026-12-01' }, now)).toThrow(
      '--date 2026-12-01: the interval [2026-12-01T00:00:00.000Z, 2026-12-02T00:00:00.000Z) has not ended yet (now 2026-12-01T23:20:00.000Z); pick an interval in the past, or pass --allow-open-interval to process it while rows may still arrive',
    );
    expect(() => intervalFromFlags({ start: '2026-11-30', end: '2026-12-01T23:30:00Z' }, now)).toThrow('--end 2026-12-01T23:30:00Z: the interval');
    expect(intervalFromFlags({ date: '2026-12-01', allowOpenInterval: true }, now).end.toISOString()).toBe('2026-12-02T00:00:00.000Z');
    // An interval that ends exactly now has ended: [D, D+1) holds no row stamped D+1 00:00.
    expect(intervalFromFlags({ date: '2026-11-30' }, new Date('2026-12-01T00:00:00Z')).start.toISOString()).toBe('2026-11-30T00:00:00.000Z');
  });

  it('names batches after the interval so a rerun replaces the same batch', () => {
    expect(batchIdFor(intervalFromFlags({ date: '2026-11-23' }))).toBe('2026-11-23');
    expect(batchIdFor(intervalFromFlags({ start: '2026-11-20', end: '2026-11-23' }))).toBe('2026-11-20_2026-11-22');
    expect(batchIdFor(intervalFromFlags({ start: '2026-11-23T06:00:00Z', end: '2026-11-23T12:00:00Z' }))).toBe('20261123T060000Z_20261123T120000Z');
  });
});
