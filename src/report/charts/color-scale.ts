// A sequential blue scale for the retention heat map, light (0) to dark (1), and whether text
// on a cell needs to be light to stay readable.

const STOPS: readonly (readonly [number, number, number])[] = [
  [239, 246, 255],
  [191, 219, 254],
  [96, 165, 250],
  [37, 99, 235],
  [30, 58, 138],
];

/** `t` is the position on the scale, 0…1. */
export function sequentialBlue(t: number): string {
  const scaled = Math.min(1, Math.max(0, t)) * (STOPS.length - 1);
  const index = Math.min(STOPS.length - 2, Math.floor(scaled));
  const local = scaled - index;
  const [a, b] = [STOPS[index]!, STOPS[index + 1]!];
  const channel = (i: number) => Math.round(a[i]! + (b[i]! - a[i]!) * local);
  return `rgb(${channel(0)} ${channel(1)} ${channel(2)})`;
}

/** From the mid-blue on, dark text would lose contrast. */
export function needsLightText(t: number): boolean {
  return t >= 0.55;
}

/** Gradient stops for the legend, matching sequentialBlue. */
export function blueStops(): { offset: number; color: string }[] {
  return STOPS.map((_, index) => {
    const offset = index / (STOPS.length - 1);
    return { offset, color: sequentialBlue(offset) };
  });
}
