// An unreliable network between pgshift and the local S3 server: a forwarding HTTP proxy that
// answers a seeded fraction of requests with S3's 500/503 errors, resets a fraction of
// connections, and can go down entirely (every new connection closed at once) and come back.
// The same seed gives the same sequence of faults, so a failing trial can be replayed.

import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { seededRandom } from './seeded-random.js';

export interface FaultyS3ProxyOptions {
  /** http://host:port of the real S3 server. */
  readonly upstream: string;
  readonly seed: number;
  /** Fraction of requests answered 500 or 503 without being forwarded. */
  readonly errorRate: number;
  /** Fraction of requests whose client connection is reset instead of answered. */
  readonly resetRate: number;
}

export interface FaultyS3ProxyStats {
  readonly requests: number;
  readonly errors: number;
  readonly resets: number;
}

export interface FaultyS3Proxy {
  readonly endpoint: string;
  stats(): FaultyS3ProxyStats;
  /** While down, every connection is closed as soon as it arrives (an outage). */
  setDown(down: boolean): void;
  /** From now on, forwards every request: the network is healthy again. */
  heal(): void;
  close(): Promise<void>;
}

// The bodies S3 sends with these statuses:
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList
const S3_ERRORS = [
  { status: 500, code: 'InternalError', message: 'We encountered an internal error. Please try again.' },
  { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' },
] as const;

export async function startFaultyS3Proxy(options: FaultyS3ProxyOptions): Promise<FaultyS3Proxy> {
  const upstream = new URL(options.upstream);
  const random = seededRandom(options.seed);
  const counts = { requests: 0, errors: 0, resets: 0 };
  const sockets = new Set<Socket>();
  let down = false;
  let rates = { errorRate: options.errorRate, resetRate: options.resetRate };

  const server = http.createServer((request, response) => {
    counts.requests += 1;
    const draw = random();
    if (draw < rates.resetRate) {
      counts.resets += 1;
      request.socket.resetAndDestroy();
      return;
    }
    if (draw < rates.resetRate + rates.errorRate) {
      counts.errors += 1;
      const error = S3_ERRORS[Math.floor(random() * S3_ERRORS.length)]!;
      // The request body is drained first so the client sees the answer, not a broken pipe.
      request.resume();
      request.on('end', () => {
        response.writeHead(error.status, { 'content-type': 'application/xml' });
        response.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${error.code}</Code><Message>${error.message}</Message></Error>`);
      });
      return;
    }
    const forwarded = http.request(
      { host: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers: request.headers },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    forwarded.on('error', () => request.socket.destroy());
    request.pipe(forwarded);
  });
  server.on('connection', (socket) => {
    if (down) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    stats: () => ({ ...counts }),
    heal() {
      down = false;
      rates = { errorRate: 0, resetRate: 0 };
    },
    setDown(value) {
      down = value;
      if (value) for (const socket of sockets) socket.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
