// Timing and memory of a child process, measured from outside so the figures include
// everything the process did (GNU time's maximum resident set size).

import { spawn } from 'node:child_process';

// %M is the largest RSS of the process (for a pipeline: of its largest member); %U and %S
// include every child the command waited for.
const FORMAT = 'RSS_KB=%M CPU_S=%U+%S';

export interface Measured {
  readonly seconds: number;
  readonly peakRssMb?: number;
  /** User + system CPU seconds of the process and the children it waited for (a shell's pipeline). */
  readonly cpuSeconds?: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `command` under GNU time and returns wall time, peak RSS, CPU seconds and stdout. */
export async function measureCommand(command: string, args: string[], env: NodeJS.ProcessEnv = process.env, shell = false): Promise<Measured> {
  const started = process.hrtime.bigint();
  const argv = shell ? ['-f', FORMAT, 'bash', '-o', 'pipefail', '-c', [command, ...args].join(' ')] : ['-f', FORMAT, command, ...args];
  const child = spawn('/usr/bin/time', argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${code}: ${stderr.slice(-2000)}`);
  const rss = /RSS_KB=(\d+)/.exec(stderr);
  const cpu = /CPU_S=([\d.]+)\+([\d.]+)/.exec(stderr);
  return { seconds, peakRssMb: rss ? Number(rss[1]) / 1024 : undefined, cpuSeconds: cpu ? Number(cpu[1]) + Number(cpu[2]) : undefined, stdout, stderr };
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Runs `measure` `runs` times, one after the other, and returns the run of median seconds. */
export async function medianRun<T extends { seconds: number }>(runs: number, measure: () => Promise<T>): Promise<T> {
  const results: T[] = [];
  for (let run = 0; run < runs; run += 1) results.push(await measure());
  results.sort((a, b) => a.seconds - b.seconds);
  return results[Math.floor(results.length / 2)]!;
}
