// staging's S3 client settings: defaults a user would accept, overridable in pgshift.yml, and
// handed to the SDK client as its retry and timeout configuration.

import { describe, expect, it } from 'vitest';
import { parseProject } from '../../src/config/load-project.js';
import { getS3Conn } from '../../src/connections.js';

const project = (staging: string) => parseProject(`name: shop\nstaging: { bucket: b${staging} }\ntargets: { dev: { type: postgres } }\n`, 'pgshift.yml');

describe('the S3 client settings in staging:', () => {
  it('default to 5 attempts, a 5 s connect timeout and a 120 s request timeout', () => {
    expect(project('').staging.client).toEqual({ maxAttempts: 5, connectTimeoutMs: 5_000, requestTimeoutMs: 120_000 });
  });

  it('are read from pgshift.yml and refused when out of range', () => {
    expect(project(', s3_max_attempts: 8, s3_connect_timeout: 2s, s3_request_timeout: 10m').staging.client).toEqual({
      maxAttempts: 8,
      connectTimeoutMs: 2_000,
      requestTimeoutMs: 600_000,
    });
    expect(() => project(', s3_max_attempts: 0')).toThrow(/staging\.s3_max_attempts/);
    expect(() => project(', s3_connect_timeout: soon')).toThrow(/staging\.s3_connect_timeout must be a duration/);
  });

  it('reach the SDK client: standard retry mode with the configured attempts', async () => {
    const client = getS3Conn({ endpoint: 'http://127.0.0.1:1', ...project(', s3_max_attempts: 7').staging.client }, {});
    try {
      expect(await client.config.maxAttempts()).toBe(7);
      expect(((await client.config.retryStrategy()) as { mode?: string }).mode).toBe('standard');
    } finally {
      client.destroy();
    }
  });
});
