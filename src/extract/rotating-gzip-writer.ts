// The sink of one table's COPY stream: gzips rows into part files and starts a new part once
// the current one holds `partSizeBytes` compressed, always at a row boundary so each part is a
// valid CSV file on its own (Redshift loads parts in parallel, one slice per file).

import { once } from 'node:events';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, type Gzip } from 'node:zlib';
import { CsvRowScanner } from './csv-row-scanner.js';
import type { OpenPartFile, PartFileTarget } from './part-files.js';

export interface RotatingGzipOptions {
  gzipLevel: number;
  partSizeBytes: number;
  /** Finished parts still uploading while the next one fills; bounds memory. */
  maxPartsInFlight?: number;
  /** Bytes of COPY data queued before the writer pushes back (default 1 MB). */
  highWaterMark?: number;
}

export interface WrittenPart {
  readonly index: number;
  readonly key?: string;
  readonly bytes: number;
}

interface ActivePart {
  readonly index: number;
  readonly gzip: Gzip;
  readonly file: OpenPartFile;
  compressedBytes: number;
  stored: boolean;
  readonly finished: Promise<WrittenPart>;
}

export class RotatingGzipWriter extends Writable {
  readonly scanner = new CsvRowScanner();
  bytesIn = 0;
  bytesOut = 0;
  private active!: ActivePart;
  private readonly inFlight: ActivePart[] = [];
  private readonly written: WrittenPart[] = [];
  private readonly opened: ActivePart[] = [];
  private failure: unknown;

  constructor(
    private readonly target: PartFileTarget,
    private readonly options: RotatingGzipOptions,
  ) {
    super({ highWaterMark: options.highWaterMark ?? 1024 * 1024 });
    this.active = this.openPart(0);
  }

  /** The first error from compressing or storing a part, if any. */
  get storageFailure(): unknown {
    return this.failure;
  }

  /** The parts written so far, in order; complete once the writer has finished. */
  get parts(): readonly WrittenPart[] {
    return [...this.written].sort((a, b) => a.index - b.index);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.writeChunk(chunk).then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.finishAll().then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.abortAll().then(
      () => callback(error),
      () => callback(error),
    );
  }

  private async writeChunk(chunk: Buffer): Promise<void> {
    this.bytesIn += chunk.length;
    let rest: Buffer = chunk;
    while (rest.length > 0) {
      const rotationDue = this.active.compressedBytes >= this.options.partSizeBytes;
      const split = this.scanner.scan(rest, rotationDue ? () => true : undefined);
      if (split === undefined) {
        await this.toGzip(rest);
        return;
      }
      await this.toGzip(rest.subarray(0, split));
      await this.rotate();
      rest = rest.subarray(split);
    }
  }

  private async toGzip(buffer: Buffer): Promise<void> {
    this.throwIfFailed();
    if (!this.active.gzip.write(buffer)) {
      await Promise.race([once(this.active.gzip, 'drain'), this.active.finished]);
      this.throwIfFailed();
    }
  }

  private async rotate(): Promise<void> {
    const full = this.active;
    full.gzip.end();
    this.inFlight.push(full);
    this.active = this.openPart(full.index + 1);
    while (this.inFlight.length > (this.options.maxPartsInFlight ?? 2)) {
      await this.inFlight.shift()!.finished;
    }
  }

  private async finishAll(): Promise<void> {
    this.active.gzip.end();
    this.inFlight.push(this.active);
    for (const part of this.inFlight.splice(0)) await part.finished;
    this.throwIfFailed();
  }

  private async abortAll(): Promise<void> {
    await Promise.allSettled(
      this.opened
        .filter((part) => !part.stored)
        .map(async (part) => {
          part.gzip.destroy();
          await part.file.abort();
        }),
    );
  }

  private openPart(index: number): ActivePart {
    const gzip = createGzip({ level: this.options.gzipLevel });
    const file = this.target.open(index);
    const part: ActivePart = { index, gzip, file, compressedBytes: 0, stored: false, finished: undefined as never };
    const counter = new Transform({
      transform: (chunk: Buffer, _encoding, callback) => {
        part.compressedBytes += chunk.length;
        this.bytesOut += chunk.length;
        callback(null, chunk);
      },
    });
    // If storing fails (S3 refuses a part), the gzip side must stop too, or the COPY would
    // block forever on backpressure; record the first failure and tear the whole writer down.
    const stored = file.done.catch((error: unknown) => {
      gzip.destroy(error as Error);
      throw error;
    });
    (part as { finished: Promise<WrittenPart> }).finished = Promise.all([pipeline(gzip, counter, file.stream), stored]).then(
      ([, result]) => {
        part.stored = true;
        const written = { index, key: result.key, bytes: part.compressedBytes };
        this.written.push(written);
        return written;
      },
      (error: unknown) => {
        this.failure ??= error;
        if (!this.destroyed) this.destroy(error as Error);
        throw error;
      },
    );
    part.finished.catch(() => {});
    this.opened.push(part);
    return part;
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }
}
