// The pieces every chart shares: the accessible <svg> wrapper (title and description read out
// by screen readers), horizontal grid lines with labels, and axis titles.

import { html, type HtmlValue, type SafeHtml } from '../html/safe-html.js';
import { px, type Scale, type Ticks } from './scale.js';

const MIN_SCALE = 0.75;

export interface ChartSpec {
  /** Stable name used in ids and `data-chart`, e.g. `revenue-trend`. */
  readonly kind: string;
  readonly title: string;
  readonly description: string;
  readonly width: number;
  readonly height: number;
}

/**
 * Drawn at its natural size; the style sheet lets it shrink with the window, never grow. Below
 * three quarters of that size its labels would be too small to read, so a narrow window
 * scrolls the chart sideways instead.
 */
export function chartSvg(spec: ChartSpec, body: HtmlValue): SafeHtml {
  const id = `chart-${spec.kind}`;
  return html`<svg class="chart" data-chart="${spec.kind}" width="${spec.width}" height="${spec.height}" viewBox="0 0 ${spec.width} ${spec.height}" style="min-width: ${Math.round(spec.width * MIN_SCALE)}px" role="img" aria-labelledby="${id}-title ${id}-desc" xmlns="http://www.w3.org/2000/svg"><title id="${id}-title">${spec.title}</title><desc id="${id}-desc">${spec.description}</desc>${body}</svg>`;
}

/** Horizontal grid lines across [x0, x1] with value labels left of x0. */
export function horizontalGrid(ticks: Ticks, y: Scale, x0: number, x1: number, format: (value: number) => string): SafeHtml {
  return html`<g class="grid" aria-hidden="true">${ticks.values.map(
    (value) =>
      html`<line x1="${px(x0)}" x2="${px(x1)}" y1="${px(y(value))}" y2="${px(y(value))}"/><text class="tick" x="${px(x0 - 8)}" y="${px(y(value))}" dy="0.32em" text-anchor="end">${format(value)}</text>`,
  )}</g>`;
}

/** Vertical grid lines across [y0, y1] with value labels below y1. */
export function verticalGrid(ticks: Ticks, x: Scale, y0: number, y1: number, format: (value: number) => string): SafeHtml {
  return html`<g class="grid" aria-hidden="true">${ticks.values.map(
    (value) =>
      html`<line x1="${px(x(value))}" x2="${px(x(value))}" y1="${px(y0)}" y2="${px(y1)}"/><text class="tick" x="${px(x(value))}" y="${px(y1 + 18)}" text-anchor="middle">${format(value)}</text>`,
  )}</g>`;
}

export function xAxisTitle(text: string, x: number, y: number): SafeHtml {
  return html`<text class="axis-title" x="${px(x)}" y="${px(y)}" text-anchor="middle">${text}</text>`;
}

export function yAxisTitle(text: string, x: number, y: number): SafeHtml {
  return html`<text class="axis-title" transform="translate(${px(x)} ${px(y)}) rotate(-90)" text-anchor="middle">${text}</text>`;
}
