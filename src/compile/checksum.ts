// File checksums for the manifest: state:modified compares them between two compilations.

import { createHash } from 'node:crypto';
import type { Checksum } from '../manifest/manifest.js';

export function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

export function checksumOf(content: string | Uint8Array): Checksum {
  return { name: 'sha256', checksum: sha256(content) };
}
