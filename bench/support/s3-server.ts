// Starts the local S3 server in a process of its own (see s3-server-process.ts).

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

export interface BenchS3 {
  readonly endpoint: string;
  readonly directory: string;
  close(): Promise<void>;
}

export async function startBenchS3(): Promise<BenchS3> {
  const directory = await mkdtemp(path.join(tmpdir(), 'pgshift-bench-s3-'));
  const child: ChildProcess = spawn(path.resolve('node_modules', '.bin', 'tsx'), ['bench/support/s3-server-process.ts', directory], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const endpoint = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
  return {
    endpoint,
    directory,
    close: async () => {
      child.kill('SIGTERM');
      await rm(directory, { recursive: true, force: true });
    },
  };
}
