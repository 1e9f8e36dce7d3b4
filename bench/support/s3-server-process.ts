// The local S3 server in a process of its own, as it would be on a network: the bench's
// pgshift process pays for HTTP and the server's disk writes happen elsewhere.

import { startLocalS3Server } from '../../src/local/local-s3-server.js';

const server = await startLocalS3Server({ directory: process.argv[2]!, buckets: ['bench'] });
process.stdout.write(`${server.endpoint}\n`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
