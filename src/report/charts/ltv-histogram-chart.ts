// Histogram of customer lifetime value: how many customers fall in each value band. Labels sit
// on the band edges; the last, open-ended band holds the long tail.

import type { LtvBar, LtvHistogram } from '../data/read-ltv-histogram.js';
import { formatCompact, formatCount, formatMoney } from '../html/format.js';
import { html, type SafeHtml } from '../html/safe-html.js';
import { chartSvg, horizontalGrid, xAxisTitle, yAxisTitle } from './chart-svg.js';
import { linearScale, niceTicks, px } from './scale.js';

const WIDTH = 640;
const HEIGHT = 330;
const MARGIN = { top: 20, right: 24, bottom: 60, left: 68 };
const GAP = 2;

export function bandLabel(bar: LtvBar): string {
  return bar.to === null ? `${formatMoney(bar.from)} or more` : `${formatMoney(bar.from)} to under ${formatMoney(bar.to)}`;
}

export function ltvHistogramChart(histogram: LtvHistogram): SafeHtml {
  const bars = histogram.bars;
  const bottom = HEIGHT - MARGIN.bottom;
  const right = WIDTH - MARGIN.right;
  const ticks = niceTicks(0, Math.max(1, ...bars.map((bar) => bar.customers)));
  const y = linearScale([0, ticks.max], [bottom, MARGIN.top]);
  const band = (right - MARGIN.left) / Math.max(1, bars.length);
  const left = (index: number) => MARGIN.left + index * band;
  const busiest = bars.reduce<LtvBar | undefined>((best, bar) => (best && best.customers >= bar.customers ? best : bar), undefined);
  const description = busiest
    ? `Lifetime value of ${formatCount(histogram.customers)} customers in ${bars.length} bands; the largest band is ${bandLabel(busiest)} with ${formatCount(busiest.customers)} customers.`
    : 'No customers.';
  const edgeLabels = bars.map((bar, index) =>
    bar.to === null
      ? html`<text class="tick" x="${px(left(index) + band / 2)}" y="${px(bottom + 18)}" text-anchor="middle">${formatCompact(bar.from)}+</text>`
      : html`<text class="tick" x="${px(left(index))}" y="${px(bottom + 18)}" text-anchor="middle">${formatCompact(bar.from)}</text>${
          index === bars.length - 1
            ? html`<text class="tick" x="${px(left(index + 1))}" y="${px(bottom + 18)}" text-anchor="middle">${formatCompact(bar.to)}</text>`
            : ''
        }`,
  );
  const body = html`
    ${horizontalGrid(ticks, y, MARGIN.left, right, formatCompact)}
    <g class="bars">${bars.map(
      (bar, index) =>
        html`<rect class="${bar.to === null ? 'bar bar-tail' : 'bar'}" x="${px(left(index) + GAP / 2)}" y="${px(y(bar.customers))}" width="${px(band - GAP)}" height="${px(bottom - y(bar.customers))}"><title>${bandLabel(bar)}: ${formatCount(bar.customers)} customers</title></rect>`,
    )}</g>
    <line class="axis" x1="${MARGIN.left}" x2="${right}" y1="${bottom}" y2="${bottom}"/>
    <g aria-hidden="true">${edgeLabels}</g>
    ${yAxisTitle('Customers', 18, (MARGIN.top + bottom) / 2)}
    ${xAxisTitle('Lifetime value per customer', (MARGIN.left + right) / 2, HEIGHT - 12)}`;
  return chartSvg({ kind: 'ltv-histogram', title: 'Customer lifetime value distribution', description, width: WIDTH, height: HEIGHT }, body);
}
