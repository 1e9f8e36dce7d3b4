// Runs a program in a child process and collects what it prints, as a user would run it; the
// pgshift CLI from source in particular.

import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

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

/** A program started and still running: signal it, and await how it ended. */
export interface RunningProcess {
  readonly child: ChildProcess;
  /** How it ended: its exit code, or the signal that ended it (a SIGKILL leaves code null). */
  readonly exited: Promise<CliResult & { readonly signal: NodeJS.Signals | null }>;
}

/** `command args…` with the environment plus `env`, no standard input, left running. */
export function startProcess(command: string, args: readonly string[], options: ProcessOptions = {}): RunningProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, exited };
}

/** `command args…` with the environment plus `env`, no standard input; resolves when it exits. */
export function runProcess(command: string, args: readonly string[], options: ProcessOptions = {}): Promise<CliResult> {
  return startProcess(command, args, options).exited;
}

/** The TypeScript entry of a script or tool, run with tsx. */
export function runTypeScript(file: string, args: readonly string[] = [], options: ProcessOptions = {}): Promise<CliResult> {
  return runProcess(TSX, [file, ...args], options);
}

export function runCli(args: string[], env: Record<string, string | undefined> = {}, cwd?: string): Promise<CliResult> {
  return runTypeScript(MAIN, args, { env, cwd });
}

/**
 * The pgshift CLI started directly on node (tsx as a loader, no wrapper process), so a signal
 * sent to `child` reaches pgshift itself, as Ctrl-C does in a terminal.
 */
export function startCli(args: string[], env: Record<string, string | undefined> = {}): RunningProcess {
  return startProcess(process.execPath, ['--import', 'tsx', MAIN, ...args], { env });
}
