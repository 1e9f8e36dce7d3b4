// The KPI strip: each figure of the day with its change against the day before and against
// the seven-day average. An arrow and a sign carry the direction, colour only repeats it.

import { relativeChange, type Kpi } from '../kpis.js';
import { shortDay } from '../report-date.js';
import { formatAmount, formatAverage, formatChange } from './format.js';
import { html, type SafeHtml } from './safe-html.js';

/** Changes smaller than this (0.05 %) read as flat. */
const FLAT = 0.0005;

export function kpiCards(kpis: readonly Kpi[], date: string, previousDay: string): SafeHtml {
  return html`<section class="kpis" aria-label="Key figures">${kpis.map((kpi) => kpiCard(kpi, date, previousDay))}</section>`;
}

function kpiCard(kpi: Kpi, date: string, previousDay: string): SafeHtml {
  return html`<article class="kpi" data-kpi="${kpi.id}" data-value="${kpi.value}" data-previous-day="${kpi.previousDay ?? ''}" data-seven-day-average="${kpi.sevenDayAverage ?? ''}">
    <h3>${kpi.label}</h3>
    <p class="kpi-value" title="${`${kpi.label} on ${shortDay(date)}`}">${formatAmount(kpi.value, kpi.kind)}</p>
    <ul class="kpi-compare">
      ${comparison(kpi, kpi.previousDay, `vs ${shortDay(previousDay)}`, 'previous-day', formatAmount(kpi.previousDay ?? 0, kpi.kind))}
      ${comparison(kpi, kpi.sevenDayAverage, 'vs 7-day avg', 'seven-day-average', formatAverage(kpi.sevenDayAverage ?? 0, kpi.kind))}
    </ul>
  </article>`;
}

function comparison(kpi: Kpi, base: number | null, label: string, name: string, baseText: string): SafeHtml {
  if (base === null) return html`<li class="change-none" data-compare="${name}"><span class="arrow" aria-hidden="true">–</span> no data ${label}</li>`;
  const change = relativeChange(kpi.value, base);
  if (change === null)
    return html`<li class="change-none" data-compare="${name}"><span class="arrow" aria-hidden="true">–</span> ${label} <span class="base">(${baseText})</span></li>`;
  const direction = Math.abs(change) < FLAT ? 'flat' : change > 0 ? 'up' : 'down';
  const arrow = direction === 'flat' ? '■' : direction === 'up' ? '▲' : '▼';
  return html`<li class="${`change-${direction}`}" data-compare="${name}"><span class="arrow" aria-hidden="true">${arrow}</span> <strong class="change">${formatChange(change)}</strong> ${label} <span class="base">(${baseText})</span></li>`;
}
