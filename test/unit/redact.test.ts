import { describe, expect, it } from 'vitest';
import { Logger } from '../../src/log/logger.js';
import { maskSecrets, redact, registerSecret } from '../../src/log/redact.js';

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

  it('keeps parser messages and SQL predicates that merely name a token or a secret', () => {
    expect(redact('models/a.sql:1: unexpected token: }}')).toBe('models/a.sql:1: unexpected token: }}');
    expect(redact('the secret: a plan')).toBe('the secret: a plan');
    expect(redact('token=abc123&x=1 secret=s3 password: hunter2 session_token: t0k')).toBe('token=***&x=1 secret=*** password: *** session_token: ***');
  });

  it('masks only registered secrets in files pgshift writes, leaving their SQL as written', () => {
    registerSecret('k3y-from-the-environment');
    const sql = "select * from logins where token = 'abc' and password = 'x' and key = 'k3y-from-the-environment'";
    expect(maskSecrets(sql)).toBe("select * from logins where token = 'abc' and password = 'x' and key = '***'");
  });
});
