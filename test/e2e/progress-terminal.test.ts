// The live progress display in a real terminal (tmux): log lines written while the progress
// table is drawn stay on the screen, above it, and the table is gone once the extracts end.

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';

// CI installs tmux (.ci/run), so there a missing tmux fails the test instead of skipping it.
const hasTmux = spawnSync('tmux', ['-V']).status === 0 || process.env.CI === 'true';
const SOCKET = `pgshift-progress-${process.pid}`;
const tmux = (...args: string[]) => spawnSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });

afterAll(() => {
  if (hasTmux) tmux('kill-server');
});

describe('the live progress display', () => {
  it.skipIf(!hasTmux)(
    'keeps every log line written while it is drawn (needs tmux; .ci/run installs it)',
    async () => {
      expect(tmux('new-session', '-d', '-s', 'progress', '-x', '160', '-y', '40').status).toBe(0);
      const script = path.resolve('test/support/progress-with-logs.ts');
      tmux('send-keys', '-t', 'progress', `${path.resolve('node_modules/.bin/tsx')} ${script}`, 'Enter');
      let screen = '';
      for (let attempt = 0; attempt < 300 && !screen.includes('PROGRESS DONE'); attempt++) {
        await sleep(100);
        screen = tmux('capture-pane', '-p', '-t', 'progress', '-S', '-200').stdout;
      }
      expect(screen).toContain('PROGRESS DONE');
      const lines = screen.split('\n');
      for (let line = 1; line <= 8; line++)
        expect(
          lines.filter((text) => text.includes(`log line ${line} of 8`)),
          screen,
        ).toHaveLength(1);
      // Once both extracts are done the table is erased: no progress row is left behind.
      expect(
        lines.filter((text) => /shop\.(orders|customers) +\d+ rows/.test(text)),
        screen,
      ).toEqual([]);
    },
    60_000,
  );
});
