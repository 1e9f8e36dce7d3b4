// Runs a program in a child process and collects what it prints, as a user would run it; the
// pgshift CLI from source in particular.

import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const TSX = path.resolve('node_modules', '.bin', 'tsx');
const MAIN = path.resolve('src', 'cli', 'bin.ts');

export interface ProcessOptions {
  readonly env?: Record<string, string | undefined>;
  readonly cwd?: string;
}

/** `command args…` with the environment plus `env`, no standard input; resolves when it exits. */
export function runProcess(command: string, args: readonly string[], options: ProcessOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The TypeScript entry of a script or tool, run with tsx. */
export function runTypeScript(file: string, args: readonly string[] = [], options: ProcessOptions = {}): Promise<CliResult> {
  return runProcess(TSX, [file, ...args], options);
}

export function runCli(args: string[], env: Record<string, string | undefined> = {}, cwd?: string): Promise<CliResult> {
  return runTypeScript(MAIN, args, { env, cwd });
}

export interface RunningCli {
  /** The pgshift process itself (node with tsx's loader, no wrapper), so SIGKILL reaches it. */
  readonly pid: number;
  kill(signal: NodeJS.Signals): void;
  readonly exited: Promise<CliResult & { readonly signal: NodeJS.Signals | null }>;
}

const TSX_LOADER = pathToFileURL(path.resolve('node_modules', 'tsx', 'dist', 'loader.mjs')).href;

/**
 * The CLI from source as one process that a test can kill at a point it observes: the `tsx`
 * command runs the program in a child of its own, which a SIGKILL to `tsx` would leave running.
 */
export function startCli(args: readonly string[], env: Record<string, string | undefined> = {}): RunningCli {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, MAIN, ...args], {
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  if (child.pid === undefined) throw new Error('startCli: the process did not start');
  return { pid: child.pid, kill: (signal) => child.kill(signal), exited };
}
