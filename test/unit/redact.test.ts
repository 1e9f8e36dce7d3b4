import { describe, expect, it } from 'vitest';
import { Logger } from '../../src/log/logger.js';
import { redact, registerSecret } from '../../src/log/redact.js';

describe('redaction', () => {
  it('removes passwords from connection strings and key=value pairs', () => {
    expect(redact('connect postgres://loader:hunter2@db:5432/shop failed')).toBe('connect postgres://loader:***@db:5432/shop failed');
    expect(redact('password=hunter2 host=db')).toBe('password=*** host=db');
    expect(redact('key AKIAABCDEFGHIJKLMNOP')).toBe('key AKIA****************');
  });

  it('masks values registered from the environment wherever they appear', () => {
    registerSecret('arn:aws:secretsmanager:eu-west-1:1:secret:warehouse-x1y2');
    expect(redact('using arn:aws:secretsmanager:eu-west-1:1:secret:warehouse-x1y2 now')).toBe('using *** now');
  });

  it('applies to every log line, in text and JSON', () => {
    const lines: string[] = [];
    const logger = new Logger({ format: 'json', level: 'info', sink: { write: (line) => lines.push(line) } });
    logger.info('connecting', { url: 'postgres://u:s3cret@h/db' });
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'info', msg: 'connecting', url: 'postgres://u:***@h/db' });
    logger.configure({ format: 'text' });
    logger.debug('hidden');
    logger.warn('careful', { password: 'x' });
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/WARN careful {2}password=\*\*\*/);
  });
});
