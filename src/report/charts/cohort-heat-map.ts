// Cohort retention heat map: one row per month of first order, one column per month since,
// each cell the share of the cohort that ordered in that month. Month 0 is always 100% and
// stays grey: on the colour scale it would wash every later month out to the palest blue.

import type { CohortCell } from '../data/read-cohorts.js';
import { formatCount, formatShare } from '../html/format.js';
import { html, type SafeHtml } from '../html/safe-html.js';
import { monthLabel } from '../report-date.js';
import { chartSvg, xAxisTitle } from './chart-svg.js';
import { blueStops, needsLightText, sequentialBlue } from './color-scale.js';
import { px } from './scale.js';

const CELL_W = 50;
const CELL_H = 28;
const MARGIN = { top: 52, right: 16, bottom: 56, left: 150 };
const LEGEND_W = 160;

export function cohortHeatMap(cells: readonly CohortCell[]): SafeHtml {
  const cohorts = [...new Set(cells.map((cell) => cell.cohortMonth))].sort();
  const columns = Math.max(1, ...cells.map((cell) => cell.monthsSinceFirst + 1));
  const sizes = new Map(cells.map((cell) => [cell.cohortMonth, cell.cohortSize]));
  const width = Math.max(MARGIN.left + columns * CELL_W + MARGIN.right, 460);
  const height = MARGIN.top + cohorts.length * CELL_H + MARGIN.bottom;
  const gridRight = MARGIN.left + columns * CELL_W;
  const row = new Map(cohorts.map((cohort, index) => [cohort, index]));
  // The scale tops out at the best later month, rounded up to a tenth.
  const later = cells.filter((cell) => cell.monthsSinceFirst > 0).map((cell) => cell.retained);
  const scaleMax = Math.min(1, Math.max(0.1, Math.ceil(Math.max(0, ...later) * 10) / 10));
  const legendY = height - 24;
  const description = `Share of each monthly cohort that ordered again, for ${cohorts.length} cohorts from ${monthLabel(cohorts[0]!)} to ${monthLabel(cohorts[cohorts.length - 1]!)} and up to ${columns - 1} months after the first order.`;
  const body = html`
    <defs><linearGradient id="retention-legend" x1="0" x2="1" y1="0" y2="0">${blueStops().map((stop) => html`<stop offset="${stop.offset}" stop-color="${stop.color}"/>`)}</linearGradient></defs>
    ${xAxisTitle('Months since first order', (MARGIN.left + gridRight) / 2, 16)}
    <text class="axis-title" x="${MARGIN.left - 10}" y="${MARGIN.top - 10}" text-anchor="end">Cohort (customers)</text>
    <g class="column-heads" aria-hidden="true">${Array.from({ length: columns }, (_, month) => html`<text class="tick" x="${px(MARGIN.left + month * CELL_W + CELL_W / 2)}" y="${MARGIN.top - 10}" text-anchor="middle">${month}</text>`)}</g>
    <g class="row-heads">${cohorts.map(
      (cohort, index) =>
        html`<text class="tick" x="${MARGIN.left - 10}" y="${px(MARGIN.top + index * CELL_H + CELL_H / 2)}" dy="0.32em" text-anchor="end">${monthLabel(cohort)} (${formatCount(sizes.get(cohort) ?? 0)})</text>`,
    )}</g>
    <g class="cells">${cells.map((cell) => {
      const x = MARGIN.left + cell.monthsSinceFirst * CELL_W;
      const y = MARGIN.top + row.get(cell.cohortMonth)! * CELL_H;
      const first = cell.monthsSinceFirst === 0;
      const t = cell.retained / scaleMax;
      return html`<g class="${first ? 'cell cell-first' : 'cell'}"><rect x="${x + 1}" y="${y + 1}" width="${CELL_W - 2}" height="${CELL_H - 2}" fill="${first ? '#e2e8f0' : sequentialBlue(t)}"><title>${monthLabel(cell.cohortMonth)} cohort, month ${cell.monthsSinceFirst}: ${formatCount(cell.customers)} of ${formatCount(cell.cohortSize)} customers (${formatShare(cell.retained)})</title></rect><text class="${!first && needsLightText(t) ? 'on-dark' : 'on-light'}" x="${px(x + CELL_W / 2)}" y="${px(y + CELL_H / 2)}" dy="0.32em" text-anchor="middle" aria-hidden="true">${formatShare(cell.retained)}</text></g>`;
    })}</g>
    <g class="legend" aria-hidden="true"><text class="tick" x="${MARGIN.left - 8}" y="${legendY + 5}" dy="0.32em" text-anchor="end">0%</text><rect x="${MARGIN.left}" y="${legendY}" width="${LEGEND_W}" height="10" fill="url(#retention-legend)" rx="2"/><text class="tick" x="${MARGIN.left + LEGEND_W + 8}" y="${legendY + 5}" dy="0.32em">${formatShare(scaleMax)} ordered again</text></g>`;
  return chartSvg({ kind: 'cohort-retention', title: 'Monthly cohort retention', description, width, height }, body);
}
