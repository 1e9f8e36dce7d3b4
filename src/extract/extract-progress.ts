// Live progress of running extracts: a redrawn table on a terminal, a periodic log line
// elsewhere (CI, orchestrators), so a long extract is never silent. On a terminal the table is
// the logger's live region: a log line written meanwhile goes above it, never under it.

import { logger as processLogger, type LiveRegion, type Logger } from '../log/logger.js';
import type { LiveCounters } from './extract-table.js';

export interface ProgressOptions {
  /** Redraw in place (a terminal on stderr and text logs). */
  interactive: boolean;
  intervalMs?: number;
  write?: (text: string) => void;
  /** The logger whose lines go above the table (default: the process logger). */
  logger?: Logger;
}

export class ExtractProgress implements LiveRegion {
  private readonly live = new Map<string, { counters: LiveCounters; startedAt: number }>();
  private timer: NodeJS.Timeout | undefined;
  private drawnLines = 0;
  private drawn = '';

  constructor(private readonly options: ProgressOptions) {}

  static forProcess(): ExtractProgress {
    return new ExtractProgress({ interactive: Boolean(process.stderr.isTTY) && processLogger.format === 'text' });
  }

  private get logger(): Logger {
    return this.options.logger ?? processLogger;
  }

  track(counters: LiveCounters): void {
    if (this.options.interactive && this.live.size === 0) this.logger.attachLiveRegion(this);
    this.live.set(counters.table, { counters, startedAt: Date.now() });
    this.timer ??= setInterval(() => this.report(), this.options.intervalMs ?? (this.options.interactive ? 500 : 30_000));
    this.timer.unref();
  }

  done(table: string): void {
    this.live.delete(table);
    if (this.live.size === 0) this.stop();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.logger.detachLiveRegion(this);
    this.clear();
    this.drawn = '';
  }

  /** Erases the table (the logger calls this before writing a line). */
  clear(): void {
    if (this.drawnLines > 0) this.write(`\x1b[${this.drawnLines}A\x1b[J`);
    this.drawnLines = 0;
  }

  /** Draws the last table again below what was written since (the logger calls this after a line). */
  redraw(): void {
    if (!this.drawn || this.drawnLines > 0) return;
    this.write(this.drawn);
    this.drawnLines = this.drawn.split('\n').length - 1;
  }

  private report(): void {
    const lines = [...this.live.values()].map(({ counters, startedAt }) => {
      const seconds = Math.max((Date.now() - startedAt) / 1000, 0.001);
      const rows = counters.rows();
      const mb = counters.bytesIn() / 1e6;
      return { table: counters.table, rows, mb, gzMb: counters.bytesOut() / 1e6, rowsPerSecond: Math.round(rows / seconds), mbPerSecond: mb / seconds };
    });
    if (!this.options.interactive) {
      for (const line of lines) this.logger.info('extracting', { table: line.table, rows: line.rows, mb: +line.mb.toFixed(1), rows_per_s: line.rowsPerSecond });
      return;
    }
    this.clear();
    const text = lines
      .map(
        (line) =>
          `  ${line.table.padEnd(28)} ${String(line.rows).padStart(12)} rows  ${line.mb.toFixed(1).padStart(9)} MB → ${line.gzMb.toFixed(1)} MB gz  ${line.rowsPerSecond} rows/s  ${line.mbPerSecond.toFixed(1)} MB/s`,
      )
      .join('\n');
    this.drawn = lines.length > 0 ? `${text}\n` : '';
    this.redraw();
  }

  private write(text: string): void {
    (this.options.write ?? ((chunk: string) => process.stderr.write(chunk)))(text);
  }
}
