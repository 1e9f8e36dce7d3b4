// The compile bench's CLI figures: `pgshift compile` and `pgshift ls --select …` run through the
// bin, as users run them (its shebang's V8 flags apply), timed from outside; the share of the
// time spent in garbage-collection pauses from one more run with --trace-gc and the same flags.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureCommand, medianRun, round } from './measure.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'pgshift.js');

export interface CliFigures {
  readonly wall_s: number;
  readonly cpu_s: number;
  readonly peak_rss_mb: number;
  /** Main-thread GC pauses (V8's --trace-gc) over wall seconds of that traced run; null when not measured. */
  readonly gc_share: number | null;
  /** Lines the command printed to stdout (for ls: the nodes selected). */
  readonly output_lines: number;
}

export async function measureCli(args: string[], runs: number, withGc = true): Promise<CliFigures> {
  const median = await medianRun(runs, () => measureCommand(BIN, args));
  return {
    wall_s: round(median.seconds, 3),
    cpu_s: round(median.cpuSeconds ?? Number.NaN, 3),
    peak_rss_mb: round(median.peakRssMb ?? Number.NaN, 1),
    gc_share: withGc ? await gcShare(args) : null,
    output_lines: median.stdout.split('\n').filter(Boolean).length,
  };
}

async function gcShare(args: string[]): Promise<number> {
  const traced = await measureCommand('node', [...shebangFlags(), '--trace-gc', BIN, ...args]);
  // V8 prints one line per collection: `Scavenge 3.9 (5.1) -> 3.2 (6.1) MB, 0.71 / 0.00 ms …`.
  let pauseMs = 0;
  for (const match of traced.stdout.matchAll(/ MB, ([\d.]+) \/ [\d.]+ ms/g)) pauseMs += Number(match[1]);
  return round(pauseMs / 1000 / traced.seconds, 3);
}

/** The V8 flags bin/pgshift.js starts node with (`#!/usr/bin/env -S node --max-semi-space-size=4`). */
function shebangFlags(): string[] {
  const shebang = readFileSync(BIN, 'utf8').split('\n', 1)[0]!;
  return shebang
    .replace(/^#!.*?\bnode\b/, '')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
}
