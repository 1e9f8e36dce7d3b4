// Horizontal bar chart of the products with the highest all-time revenue. Bars run
// sideways so that product names get room to be read.

import type { ProductRevenue } from '../data/read-top-products.js';
import { formatCompact, formatCount, formatMoney } from '../html/format.js';
import { html, type SafeHtml } from '../html/safe-html.js';
import { chartSvg, verticalGrid, xAxisTitle } from './chart-svg.js';
import { linearScale, niceTicks, px } from './scale.js';

const WIDTH = 640;
const ROW = 32;
const MARGIN = { top: 12, right: 64, bottom: 52, left: 220 };
const NAME_CHARS = 30;

export function topProductsChart(products: readonly ProductRevenue[]): SafeHtml {
  const height = MARGIN.top + products.length * ROW + MARGIN.bottom;
  const bottom = height - MARGIN.bottom;
  const right = WIDTH - MARGIN.right;
  const ticks = niceTicks(0, Math.max(0, ...products.map((product) => product.revenue)), 5);
  const x = linearScale([0, ticks.max], [MARGIN.left, right]);
  const leader = products[0];
  const description = leader
    ? `The ${products.length} products with the highest revenue. First: ${leader.name} with ${formatMoney(leader.revenue)}.`
    : 'No products.';
  const body = html`
    ${verticalGrid(ticks, x, MARGIN.top, bottom, formatCompact)}
    <g class="bars">${products.map((product, index) => {
      const top = MARGIN.top + index * ROW + 5;
      const width = Math.max(1, x(product.revenue) - MARGIN.left);
      const label = truncate(product.name, NAME_CHARS);
      return html`<g class="bar-row"><title>${`#${product.rank} ${product.name} (${product.category || 'no category'}): revenue ${formatMoney(product.revenue)}, ${formatCount(product.orders)} orders, ${formatCount(product.units)} units`}</title><text class="bar-label" x="${MARGIN.left - 10}" y="${px(top + (ROW - 10) / 2)}" dy="0.32em" text-anchor="end">${label}</text><rect class="bar" x="${MARGIN.left}" y="${px(top)}" width="${px(width)}" height="${ROW - 10}" rx="2"/><text class="bar-value" x="${px(MARGIN.left + width + 6)}" y="${px(top + (ROW - 10) / 2)}" dy="0.32em">${formatCompact(product.revenue)}</text></g>`;
    })}</g>
    <line class="axis" x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${px(bottom)}"/>
    ${xAxisTitle('Revenue, all time', (MARGIN.left + right) / 2, height - 10)}`;
  return chartSvg({ kind: 'top-products', title: `Top ${products.length} products by revenue`, description, width: WIDTH, height }, body);
}

/** Cuts by code points, so an emoji in a product name is never split in half. */
function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length > max
    ? `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`
    : text;
}
