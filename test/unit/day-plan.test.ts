import { describe, expect, it } from 'vitest';
import { currentTime } from '../../src/batch/clock.js';
import { planDays, type PlannedTable, type TableHistory } from '../../src/batch/day-plan.js';

const orders: PlannedTable = { id: 'shop.orders', mode: 'incremental' };
const customers: PlannedTable = { id: 'shop.customers', mode: 'incremental' };
const products: PlannedTable = { id: 'shop.products', mode: 'full' };
// 2026-11-30 early morning: yesterday is 2026-11-29.
const now = new Date('2026-11-30T05:00:00Z');

const plan = (tables: PlannedTable[], history: Record<string, TableHistory>, flags = {}, maxDays = 31) =>
  planDays({ flags, tables, history: new Map(Object.entries(history)), now, maxDays });
const days = (result: ReturnType<typeof plan>) => result.steps.map((step) => [step.label, [...step.tables].sort()]);

describe('the days a command processes', () => {
  it('resume after each table’s last complete day, oldest first, each day only for the tables missing it', () => {
    const result = plan([orders, customers], {
      'shop.orders': { lastCompleteDay: '2026-11-26', anyLoaded: true },
      'shop.customers': { lastCompleteDay: '2026-11-28', anyLoaded: true },
    });
    expect(result.catchUp).toBe(true);
    expect(days(result)).toEqual([
      ['2026-11-27', ['shop.orders']],
      ['2026-11-28', ['shop.orders']],
      ['2026-11-29', ['shop.customers', 'shop.orders']],
    ]);
    expect(result.gaps).toEqual([{ table: 'shop.orders', lastComplete: '2026-11-26', days: ['2026-11-27', '2026-11-28', '2026-11-29'] }]);
    expect(result.steps.every((step) => step.fromBeginning.size === 0)).toBe(true);
  });

  it('start a table with no batch at yesterday, read from its beginning', () => {
    const result = plan([orders], {});
    expect(days(result)).toEqual([['2026-11-29', ['shop.orders']]]);
    expect([...result.steps[0]!.fromBeginning]).toEqual(['shop.orders']);
    expect(result.gaps).toEqual([]);
  });

  it('give a full-mode table only the newest missing day', () => {
    const result = plan([orders, products], {
      'shop.orders': { lastCompleteDay: '2026-11-27', anyLoaded: true },
      'shop.products': { lastCompleteDay: '2026-11-27', anyLoaded: true },
    });
    expect(days(result)).toEqual([
      ['2026-11-28', ['shop.orders']],
      ['2026-11-29', ['shop.orders', 'shop.products']],
    ]);
  });

  it('read a full-mode table the warehouse has none of on the first day too, and never cap it', () => {
    const result = plan(
      [orders, products],
      { 'shop.orders': { lastCompleteDay: '2026-11-27', anyLoaded: true }, 'shop.products': { lastCompleteDay: '2026-01-01', anyLoaded: true } },
      {},
      5,
    );
    expect(days(result)).toEqual([
      ['2026-11-28', ['shop.orders']],
      ['2026-11-29', ['shop.orders', 'shop.products']],
    ]);
    expect(days(plan([orders, products], { 'shop.orders': { lastCompleteDay: '2026-11-27', anyLoaded: true } }))).toEqual([
      ['2026-11-28', ['shop.orders', 'shop.products']],
      ['2026-11-29', ['shop.orders', 'shop.products']],
    ]);
  });

  it('still run the graph once for yesterday when every table is complete', () => {
    const result = plan([orders], { 'shop.orders': { lastCompleteDay: '2026-11-29', anyLoaded: true } });
    expect(days(result)).toEqual([['2026-11-29', []]]);
  });

  it('refuse a gap longer than catch_up_max_days, naming the table, its last day and what to do', () => {
    expect(() => plan([orders], { 'shop.orders': { lastCompleteDay: '2026-11-19', anyLoaded: true } }, {}, 5)).toThrow(
      'shop.orders: last complete day 2026-11-19, 10 days missing up to 2026-11-29, more than catch_up_max_days (5); process them with --start 2026-11-20 --end 2026-11-30, or raise catch_up_max_days in pgshift.yml',
    );
  });

  it('are exactly --date when it is given, whatever is missing', () => {
    const result = plan([orders], { 'shop.orders': { lastCompleteDay: '2026-11-20', anyLoaded: true } }, { date: '2026-11-25' }, 3);
    expect(result.catchUp).toBe(false);
    expect(days(result)).toEqual([['2026-11-25', ['shop.orders']]]);
  });

  it('cut --start/--end of whole days into days; the first day alone reads an empty table from its beginning', () => {
    const result = plan([orders, products], {}, { start: '2026-11-20', end: '2026-11-23' });
    // The full-mode table is read on the first day too: the warehouse has none of it, and that day's models read it.
    expect(days(result)).toEqual([
      ['2026-11-20', ['shop.orders', 'shop.products']],
      ['2026-11-21', ['shop.orders']],
      ['2026-11-22', ['shop.orders', 'shop.products']],
    ]);
    expect(result.steps.map((step) => [...step.fromBeginning])).toEqual([['shop.orders'], [], []]);
  });

  it('keep --start/--end that is not whole days one interval', () => {
    const result = plan([orders], {}, { start: '2026-11-20T06:00:00Z', end: '2026-11-22T06:00:00Z' });
    expect(result.steps.map((step) => step.label)).toEqual(['20261120T060000Z_20261122T060000Z']);
  });
});

describe('the clock', () => {
  it('is PGSHIFT_NOW when set, and refuses one that is not a time', () => {
    expect(currentTime({ PGSHIFT_NOW: '2026-11-30T05:00:00Z' }).toISOString()).toBe('2026-11-30T05:00:00.000Z');
    expect(() => currentTime({ PGSHIFT_NOW: 'tomorrow' })).toThrow('PGSHIFT_NOW=tomorrow: expected an ISO timestamp');
  });
  it('reads a table from its beginning again when its first loaded day is run again, so replacing that batch keeps the older rows', () => {
    const history = { 'shop.orders': { lastCompleteDay: '2026-11-27', anyLoaded: true, firstLoadedStart: '2026-11-25 00:00:00' } };
    const again = plan([orders], history, { start: '2026-11-25', end: '2026-11-28' });
    expect(again.steps.map((step) => [...step.fromBeginning])).toEqual([['shop.orders'], [], []]);
    const later = plan([orders], history, { date: '2026-11-26' });
    expect(later.steps.map((step) => [...step.fromBeginning])).toEqual([[]]);
  });
});
