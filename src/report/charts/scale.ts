// Linear scales and round tick values for the SVG charts.

import { niceStep, roundToStep } from '../nice-number.js';

export interface Ticks {
  readonly min: number;
  readonly max: number;
  readonly values: readonly number[];
}

/** About `target` round ticks covering [min, max]; the domain widens to the outer ticks. */
export function niceTicks(min: number, max: number, target = 5): Ticks {
  const high = max > min ? max : min + 1;
  const step = niceStep((high - min) / target);
  const first = Math.floor(min / step) * step;
  const last = Math.ceil(high / step) * step;
  const values: number[] = [];
  for (let value = first; value <= last + step / 2; value += step) values.push(roundToStep(value, step));
  return { min: values[0]!, max: values[values.length - 1]!, values };
}

export type Scale = (value: number) => number;

export function linearScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  return (value) => r0 + ((value - d0) / span) * (r1 - r0);
}

/** Coordinates with one decimal: plenty for a screen, and a smaller file. */
export function px(value: number): string {
  return String(Math.round(value * 10) / 10);
}
