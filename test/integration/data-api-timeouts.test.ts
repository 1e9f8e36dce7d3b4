// A Data API endpoint that accepts connections and never answers (a broken VPC endpoint, a
// proxy) must fail the statement within the request timeout, naming the warehouse target.

import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedshiftTarget } from '../../src/config/target.js';
import { getRedshiftConn } from '../../src/connections.js';
import { RedshiftDataWarehouse } from '../../src/warehouse/redshift-data-warehouse.js';

describe('a Data API endpoint that never answers', () => {
  let server: net.Server;
  const sockets = new Set<net.Socket>();
  let endpoint: string;
  const savedEnv = { key: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };

  beforeAll(async () => {
    server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    // Static credentials, so the SDK signs at once instead of searching the credential chain.
    process.env.AWS_ACCESS_KEY_ID = 'test';
    process.env.AWS_SECRET_ACCESS_KEY = 'test';
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    process.env.AWS_ACCESS_KEY_ID = savedEnv.key;
    process.env.AWS_SECRET_ACCESS_KEY = savedEnv.secret;
    if (savedEnv.key === undefined) delete process.env.AWS_ACCESS_KEY_ID;
    if (savedEnv.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
  });

  it('fails the statement with an error naming the target once the request timeout passes', async () => {
    const target: RedshiftTarget = {
      name: 'prod',
      type: 'redshift',
      schema: 'analytics',
      database: 'dev',
      clusterIdentifier: 'silent',
      dbUser: 'loader',
      region: 'us-east-1',
      endpoint,
      statementTimeoutMs: 60_000,
      timeouts: { connectMs: 1_000, queryMs: 60_000, idleMs: 60_000, requestMs: 500 },
    };
    // pgshift's own resubmissions off: the SDK's retries of the timed-out request are enough here.
    const warehouse = new RedshiftDataWarehouse(target, getRedshiftConn(target), { retries: 0 });
    await expect(warehouse.execute('select 1')).rejects.toThrow(
      /^warehouse target prod \(Redshift Data API at http:\/\/127\.0\.0\.1:\d+\) could not be reached: /,
    );
    await warehouse.close();
  });
});
