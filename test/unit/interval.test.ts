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

  it('names batches after the interval so a rerun replaces the same batch', () => {
    expect(batchIdFor(intervalFromFlags({ date: '2026-11-23' }))).toBe('2026-11-23');
    expect(batchIdFor(intervalFromFlags({ start: '2026-11-20', end: '2026-11-23' }))).toBe('2026-11-20_2026-11-22');
    expect(batchIdFor(intervalFromFlags({ start: '2026-11-23T06:00:00Z', end: '2026-11-23T12:00:00Z' }))).toBe('20261123T060000Z_20261123T120000Z');
  });
});
