// Number formats for the page. The locale is fixed so that the same data always gives the same
// page, whatever the machine's settings.

const LOCALE = 'en-US';
const money = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const count = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const compact = new Intl.NumberFormat(LOCALE, { notation: 'compact', maximumFractionDigits: 1 });

export function formatMoney(value: number): string {
  return money.format(value);
}

export function formatCount(value: number): string {
  return count.format(value);
}

/** A count or money amount, as the KPI's kind says. */
export function formatAmount(value: number, kind: 'money' | 'count'): string {
  return kind === 'money' ? formatMoney(value) : formatCount(value);
}

/** A baseline average of counts keeps one decimal: 41.3 orders a day says more than 41. */
export function formatAverage(value: number, kind: 'money' | 'count'): string {
  return kind === 'money' ? formatMoney(value) : oneDecimal.format(value);
}

/** `+12.3%`, `-4.0%`, `0.0%` for a relative change (0.123 → +12.3%). */
export function formatChange(ratio: number): string {
  const text = oneDecimal.format(Math.abs(ratio) * 100);
  if (text === '0.0') return '0.0%';
  return `${ratio > 0 ? '+' : '-'}${text}%`;
}

/** `27%` for a share (0.27). */
export function formatShare(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}

/** Axis labels: `0`, `850`, `12.5K`, `1.2M`. */
export function formatCompact(value: number): string {
  return compact.format(value);
}
