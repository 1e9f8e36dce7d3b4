// One logger for the whole process: human-readable lines on a terminal, JSON lines for CI and
// orchestrators (`--log-format json`). Everything passes through redact() on the way out.

import { redact } from './redact.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'text' | 'json';
export type LogFields = Record<string, unknown>;

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LogSink {
  write(line: string): void;
}

/**
 * A block redrawn in place below the log, such as the live extract progress. The logger clears
 * it before a line and draws it again after, so log lines go above it and none is overwritten.
 */
export interface LiveRegion {
  clear(): void;
  redraw(): void;
}

export interface LoggerOptions {
  format: LogFormat;
  level: LogLevel;
  sink: LogSink;
}

export class Logger {
  private liveRegion: LiveRegion | undefined;
  /** Warnings logged so far, whatever the level shown: what --warn-error turns into exit 1. */
  warningCount = 0;

  constructor(private options: LoggerOptions) {}

  /** Shows `region` below the log lines until detached (undefined). */
  attachLiveRegion(region: LiveRegion | undefined): void {
    this.liveRegion = region;
  }

  /** Detaches `region` if it is the one shown. */
  detachLiveRegion(region: LiveRegion): void {
    if (this.liveRegion === region) this.liveRegion = undefined;
  }

  configure(options: Partial<LoggerOptions>): void {
    this.options = { ...this.options, ...options };
  }

  get format(): LogFormat {
    return this.options.format;
  }

  get level(): LogLevel {
    return this.options.level;
  }

  debug(message: string, fields?: LogFields): void {
    this.log('debug', message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.log('info', message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.log('warn', message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.log('error', message, fields);
  }

  log(level: LogLevel, message: string, fields: LogFields = {}): void {
    if (level === 'warn') this.warningCount++;
    if (LEVEL_ORDER[level] < LEVEL_ORDER[this.options.level]) return;
    const line =
      this.options.format === 'json' ? JSON.stringify({ ts: new Date().toISOString(), level, msg: message, ...fields }) : formatText(level, message, fields);
    this.liveRegion?.clear();
    this.options.sink.write(`${redact(line)}\n`);
    this.liveRegion?.redraw();
  }
}

function formatText(level: LogLevel, message: string, fields: LogFields): string {
  const time = new Date().toISOString().slice(11, 19);
  const tag = level === 'info' ? '' : `${level.toUpperCase()} `;
  const extras = Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  return `${time} ${tag}${message}${extras ? `  ${extras}` : ''}`;
}

/** Logs go to stderr so that stdout stays clean for command output (`ls`, `compile`). */
export const logger = new Logger({
  format: 'text',
  level: (process.env.PGSHIFT_LOG_LEVEL as LogLevel | undefined) ?? 'info',
  sink: { write: (line) => process.stderr.write(line) },
});
