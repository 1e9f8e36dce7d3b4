// Speaks the AWS JSON 1.1 protocol the Redshift Data API client uses: POST / with
// `X-Amz-Target: RedshiftData.<Operation>` and a JSON body. Signatures are accepted unchecked.

import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError } from './api-error.js';
import { operations, type OperationContext } from './operations.js';

const TARGET_PREFIX = 'RedshiftData.';
const MAX_BODY_BYTES = 16 * 1024 * 1024;

export interface HttpServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function startHttpServer(port: number, context: Omit<OperationContext, 'accessKeyId'>): Promise<HttpServer> {
  const server = http.createServer((request, response) => {
    handle(request, context).then(
      ({ status, body, errorType }) => {
        const text = JSON.stringify(body);
        response.writeHead(status, {
          'content-type': 'application/x-amz-json-1.1',
          'content-length': Buffer.byteLength(text),
          'x-amzn-requestid': randomUUID(),
          ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
        });
        response.end(text);
      },
      (error: unknown) => {
        response.writeHead(500, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify({ __type: 'InternalServerException', message: String(error) }));
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // The SDK keeps connections alive; without this close() would wait for them to idle out.
        server.closeAllConnections();
      }),
  };
}

async function handle(
  request: http.IncomingMessage,
  context: Omit<OperationContext, 'accessKeyId'>,
): Promise<{ status: number; body: unknown; errorType?: string }> {
  try {
    const target = String(request.headers['x-amz-target'] ?? '');
    const operation = target.startsWith(TARGET_PREFIX) ? operations[target.slice(TARGET_PREFIX.length)] : undefined;
    if (request.method !== 'POST' || !operation || !Object.hasOwn(operations, target.slice(TARGET_PREFIX.length))) {
      throw new ApiError('UnknownOperationException', `unknown operation: ${request.method} ${target || '(no X-Amz-Target)'}`);
    }
    const input = await readJson(request);
    if (context.throttle.next(target.slice(TARGET_PREFIX.length))) throw new ApiError('ThrottlingException', 'Rate exceeded');
    const body = await operation(input, { ...context, accessKeyId: accessKeyId(request.headers.authorization) });
    return { status: 200, body };
  } catch (error) {
    const apiError = error instanceof ApiError ? error : new ApiError('InternalServerException', error instanceof Error ? error.message : String(error));
    return { status: apiError.httpStatus, body: apiError.body(), errorType: apiError.type };
  }
}

async function readJson(request: http.IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ApiError('ValidationException', 'request body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ApiError('SerializationException', 'the request body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ApiError('SerializationException', 'the request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/** `AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/redshift-data/aws4_request, …` → AKID. */
function accessKeyId(authorization: string | undefined): string | undefined {
  return authorization ? /Credential=([^/,\s]+)\//.exec(authorization)?.[1] : undefined;
}
