// File destination: writes one record, or one batch as NDJSON, atomically into a folder under a name from its key.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  BatchLimits,
  ConnectionFacts,
  Destination,
  OutgoingRequest,
  SendResult,
} from '../../core/destination.js';
import { publishFile, type PublishResult } from './atomic-write.js';
import { fileContent, type FileFormat } from './file-content.js';
import { FileNameError, renderFileName } from './file-name.js';
import { writeErrorOutcome } from './write-errors.js';

export interface FileDestinationOptions {
  /** Absolute path of the folder. */
  folder: string;
  /** File-name template (see file-name.ts). */
  fileName: string;
  batch: { format: FileFormat } & BatchLimits;
  createFolder: boolean;
  /** Permission bits of each file. */
  mode: number;
  /** Clock for {{date}} (tests). */
  now?: () => Date;
}

export class FileDestination implements Destination {
  readonly type = 'file';
  readonly label: string;
  readonly batching: BatchLimits | undefined;

  constructor(private readonly options: FileDestinationOptions) {
    this.label = `files into ${options.folder}`;
    const { format, ...limits } = options.batch;
    this.batching = format === 'none' ? undefined : limits;
  }

  async send(request: OutgoingRequest): Promise<SendResult> {
    const { folder, batch } = this.options;
    let name: string;
    try {
      name = renderFileName(this.options.fileName, {
        idempotencyKey: request.idempotencyKey,
        ...(batch.format === 'none' ? { record: request.records[0] } : {}),
        now: (this.options.now ?? (() => new Date()))(),
        windows: process.platform === 'win32',
      });
    } catch (error) {
      if (!(error instanceof FileNameError)) throw error;
      const text = `cannot name the file: ${error.message}. Fix: change destination.fileName or the record, then replay`;
      return { kind: 'dead', error: text, code: 'unsafe-name', latencyMs: 0 };
    }
    const { bytes, written, rejected } = fileContent(request.records, batch.format);
    if (written.length === 0) return { kind: 'not-sent', latencyMs: 0, rejected };
    const target = join(folder, name);
    const summary = { operation: 'write', target, bytes: bytes.length, records: written.length };
    const extra = { request: summary, ...(rejected.length > 0 ? { rejected } : {}) };
    const started = performance.now();
    const latency = () => Math.round(performance.now() - started);
    let result: PublishResult;
    try {
      result = await this.publish(name, bytes);
    } catch (error) {
      const place = { folder, target, createFolder: this.options.createFolder };
      return { ...writeErrorOutcome(error, place), latencyMs: latency(), ...extra };
    }
    if (result === 'different') {
      const error = `a different file ${name} already exists in ${folder}; refusing to overwrite. Fix: move the other file away or change destination.fileName, then replay`;
      return { kind: 'dead', error, code: 'different-file-exists', latencyMs: latency(), ...extra };
    }
    const serverIds = Object.fromEntries(written.map((r) => [r.id, name]));
    return { kind: 'delivered', code: result, serverIds, latencyMs: latency(), ...extra };
  }

  /** Writes the file, creating the folder first when it is missing and that is allowed. */
  private async publish(name: string, bytes: Buffer): Promise<PublishResult> {
    const { folder, mode, createFolder } = this.options;
    try {
      return await publishFile(folder, name, bytes, mode);
    } catch (error) {
      if (!createFolder || (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await mkdir(folder, { recursive: true });
      return publishFile(folder, name, bytes, mode);
    }
  }

  describe(): ConnectionFacts {
    return { folder: this.options.folder, batch: this.options.batch.format };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
