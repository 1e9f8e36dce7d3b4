// Line chart of daily revenue over the last thirty days with its seven-day moving average.
// Each day is also a dot whose tooltip gives the exact figures.

import { formatCompact, formatMoney } from '../html/format.js';
import { html, type SafeHtml } from '../html/safe-html.js';
import { longDay, shortDay } from '../report-date.js';
import type { TrendPoint } from '../revenue-trend.js';
import { chartSvg, horizontalGrid, xAxisTitle, yAxisTitle } from './chart-svg.js';
import { linearScale, niceTicks, px } from './scale.js';

const WIDTH = 1100;
const HEIGHT = 330;
const MARGIN = { top: 40, right: 24, bottom: 56, left: 76 };
/** A date label every this many days, counted back from the report day so it is always labelled. */
const LABEL_EVERY = 5;

export function revenueTrendChart(points: readonly TrendPoint[]): SafeHtml {
  const bottom = HEIGHT - MARGIN.bottom;
  const right = WIDTH - MARGIN.right;
  const values = points.flatMap((point) => (point.movingAverage === null ? [point.revenue] : [point.revenue, point.movingAverage]));
  const ticks = niceTicks(Math.min(0, ...values), Math.max(0, ...values));
  const y = linearScale([ticks.min, ticks.max], [bottom, MARGIN.top]);
  const x = linearScale([0, Math.max(1, points.length - 1)], [MARGIN.left + 8, right - 8]);
  const revenuePath = points.map((point, index) => `${index === 0 ? 'M' : 'L'}${px(x(index))} ${px(y(point.revenue))}`).join(' ');
  const areaPath =
    points.length > 0 ? `${revenuePath} L${px(x(points.length - 1))} ${px(y(Math.max(0, ticks.min)))} L${px(x(0))} ${px(y(Math.max(0, ticks.min)))} Z` : '';
  const last = points.length - 1;
  const first = points[0];
  const description = first
    ? `Daily revenue from ${longDay(first.date)} to ${longDay(points[last]!.date)}, between ${formatMoney(Math.min(...points.map((p) => p.revenue)))} and ${formatMoney(Math.max(...points.map((p) => p.revenue)))}; the dashed line is the 7-day moving average.`
    : 'No revenue history.';
  const body = html`
    ${horizontalGrid(ticks, y, MARGIN.left, right, formatCompact)}
    <g class="x-ticks" aria-hidden="true">${points.map((point, index) =>
      (last - index) % LABEL_EVERY === 0
        ? html`<line class="tick-mark" x1="${px(x(index))}" x2="${px(x(index))}" y1="${px(bottom)}" y2="${px(bottom + 5)}"/><text class="tick" x="${px(x(index))}" y="${px(bottom + 20)}" text-anchor="middle">${shortDay(point.date)}</text>`
        : '',
    )}</g>
    <line class="axis" x1="${MARGIN.left}" x2="${right}" y1="${px(y(Math.max(0, ticks.min)))}" y2="${px(y(Math.max(0, ticks.min)))}"/>
    <path class="area-revenue" d="${areaPath}" aria-hidden="true"/>
    <path class="series-revenue" d="${revenuePath}"/>
    <path class="series-average" d="${movingAveragePath(points, x, y)}"/>
    <g class="dots">${points.map(
      (point, index) =>
        html`<circle class="${index === last ? 'dot dot-today' : 'dot'}" cx="${px(x(index))}" cy="${px(y(point.revenue))}" r="${index === last ? 5 : 3}"><title>${longDay(point.date)}: revenue ${formatMoney(point.revenue)}${point.movingAverage === null ? '' : `, 7-day average ${formatMoney(point.movingAverage)}`}</title></circle>`,
    )}</g>
    <g class="legend" transform="translate(${MARGIN.left} 16)" aria-hidden="true">
      <line class="series-revenue" x1="0" x2="24" y1="0" y2="0"/><text x="30" y="0" dy="0.32em">Daily revenue</text>
      <line class="series-average" x1="150" x2="174" y1="0" y2="0"/><text x="180" y="0" dy="0.32em">7-day moving average</text>
    </g>
    ${yAxisTitle('Revenue', 18, (MARGIN.top + bottom) / 2)}
    ${xAxisTitle('Order date (UTC)', (MARGIN.left + right) / 2, HEIGHT - 10)}`;
  return chartSvg({ kind: 'revenue-trend', title: 'Revenue, last 30 days', description, width: WIDTH, height: HEIGHT }, body);
}

/** Breaks the line where the average is unknown instead of drawing it through zero. */
function movingAveragePath(points: readonly TrendPoint[], x: (value: number) => number, y: (value: number) => number): string {
  let path = '';
  let drawing = false;
  points.forEach((point, index) => {
    if (point.movingAverage === null) {
      drawing = false;
      return;
    }
    path += `${path ? ' ' : ''}${drawing ? 'L' : 'M'}${px(x(index))} ${px(y(point.movingAverage))}`;
    drawing = true;
  });
  return path;
}
