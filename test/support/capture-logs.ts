// Collects what the process-wide logger writes while a function runs, as parsed JSON lines.

import { logger } from '../../src/log/logger.js';

export interface LoggedLine {
  readonly level: string;
  readonly msg: string;
  readonly [field: string]: unknown;
}

export async function captureLogs<T>(run: () => Promise<T>): Promise<{ result: T; lines: LoggedLine[] }> {
  const lines: LoggedLine[] = [];
  const saved = { format: logger.format, level: logger.level };
  logger.configure({ format: 'json', level: 'info', sink: { write: (line) => lines.push(JSON.parse(line) as LoggedLine) } });
  try {
    return { result: await run(), lines };
  } finally {
    logger.configure({ ...saved, sink: { write: (line) => process.stderr.write(line) } });
  }
}
