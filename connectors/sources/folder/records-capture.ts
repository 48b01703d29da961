// Records mode of the folder source: streams one finished file into per-record changes, batch by batch, resumable.
import { createHash, type Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import type { CapturedChange } from '../../core/change.js';
import type { CaptureHost } from './capture-host.js';
import { openForCapture } from './file-reader.js';
import {
  checkpointKey,
  fileVersionKey,
  nextGeneration,
  parseFileState,
  type FileState,
} from './file-version.js';
import type { Located } from './folder-layout.js';
import { RecordChanges, type RecordSource } from './record-changes.js';
import { parseRecordBatches, type RecordFormatOptions } from './records/index.js';

/** What became of one capture attempt. */
export type RecordsOutcome =
  | { kind: 'done' }
  /** Stopped between two batches (paused or stopping); the stored ones are kept and the rest resumes later. */
  | { kind: 'interrupted' }
  /** Same bytes as the version already captured in full. */
  | { kind: 'unchanged'; state: FileState; mtimeMs: number };

/** The outbox did not take a batch (disk full, …): not a problem of the file; the whole capture is retried. */
export class OutboxRefused extends Error {
  constructor(readonly refusal: unknown) {
    super('the outbox refused a batch of records', { cause: refusal });
    this.name = 'OutboxRefused';
  }
}

/** Changes per outbox transaction: big enough to amortise the commit, small enough to keep memory flat. */
const changesPerBatch = 2000;
const readChunkBytes = 64 * 1024;
const hashChunkBytes = 1024 * 1024;

export class RecordsCapture {
  private readonly changes: RecordChanges;

  constructor(
    private readonly format: RecordFormatOptions,
    private readonly host: CaptureHost,
    /** True when capture must stop between two batches (backpressure pause, or the source stopping). */
    private readonly interrupted: () => boolean,
  ) {
    this.changes = new RecordChanges(format, () => host.shapes());
  }

  /**
   * Captures the records of a settled file. Two passes over one open handle: the content hash first (every record
   * key derives from it), then the parse, stored in batches that each carry the resume point in the checkpoint. A
   * file replaced by rename meanwhile is still read consistently from the handle; one written in place is detected
   * and captured again once it is finished. Throws when the outbox refuses a batch (the caller retries).
   */
  async capture(file: Located): Promise<RecordsOutcome> {
    const opened = await openForCapture(file.abs);
    if (opened.kind === 'gone') {
      this.host.problem(file.abs, {
        file: file.identity,
        message: 'the file vanished before it could be read: not captured',
        transient: false,
        keepWhenGone: true,
      });
      this.host.rewatch(file.abs);
      return { kind: 'done' };
    }
    if (opened.kind === 'not-a-file') {
      this.host.problem(file.abs, {
        file: file.identity,
        message: 'it is a folder or a device, not a regular file: not captured',
        transient: false,
      });
      return { kind: 'done' };
    }
    const { handle, size, mtimeMs } = opened;
    try {
      const sha256 = await hashOf(handle);
      if (await this.changedSince(file, handle, size, mtimeMs, 0)) return { kind: 'done' };
      const key = checkpointKey(file.identity);
      const state = parseFileState(this.host.checkpoint(key));
      const sameVersion = state !== undefined && !state.deleted && state.hash === sha256;
      if (sameVersion && state.partial === undefined) return { kind: 'unchanged', state, mtimeMs };
      const generation = nextGeneration(state);
      const source: RecordSource = {
        file: file.identity,
        sha256,
        generation,
        versionKey: fileVersionKey(file.identity, sha256, generation),
      };
      const version: FileState = { hash: sha256, size, mtimeMs, ...(generation > 0 ? { generation } : {}) };
      const resumeAt = sameVersion ? (state.partial ?? 0) : 0;
      return await this.stream(file, handle, source, version, resumeAt);
    } finally {
      await handle.close();
    }
  }

  private async stream(
    file: Located,
    handle: FileHandle,
    source: RecordSource,
    version: FileState,
    resumeAt: number,
  ): Promise<RecordsOutcome> {
    const key = checkpointKey(file.identity);
    const reread = new HashedReads(handle);
    let pending: CapturedChange[] = [];
    let positions = resumeAt;
    let rejected = 0;
    let stored = 0;
    const flush = async (partial: boolean): Promise<boolean> => {
      if (partial && (await this.changedSince(file, handle, version.size, version.mtimeMs, stored)))
        return false;
      const next: FileState = partial
        ? { ...version, partial: positions }
        : { ...version, records: positions };
      try {
        await this.host.emitShaped({ changes: pending, checkpoints: [{ key, value: JSON.stringify(next) }] });
      } catch (error) {
        throw new OutboxRefused(error);
      }
      stored += pending.length;
      pending = [];
      return true;
    };
    for await (const events of parseRecordBatches(reread.chunks(), this.format)) {
      for (const event of events) {
        const index = event.kind === 'record' ? event.record.index : event.row.index;
        if (index < resumeAt) continue;
        const change = this.changes.toChange(source, event);
        if (change.rejected) rejected += 1;
        pending.push(change);
        positions = index + 1;
      }
      if (pending.length >= changesPerBatch) {
        if (!(await flush(true))) return { kind: 'done' };
        if (this.interrupted()) return { kind: 'interrupted' };
      }
    }
    if (await this.changedSince(file, handle, version.size, version.mtimeMs, stored)) return { kind: 'done' };
    // A parse that stopped early (binary data, …) left the rest unread: hash it too, or the file looks rewritten.
    if ((await reread.digestToEnd()) !== version.hash) {
      this.writtenDuringCapture(file, stored); // rewritten in place with the same size and time: rare, but possible
      return { kind: 'done' };
    }
    await flush(false);
    this.finished(file, positions, rejected, resumeAt);
    return { kind: 'done' };
  }

  /** The file was written to since it was opened: leave it to settle again; what was stored so far stays. */
  private async changedSince(
    file: Located,
    handle: FileHandle,
    size: number,
    mtimeMs: number,
    stored: number,
  ): Promise<boolean> {
    const now = await handle.stat();
    if (now.size === size && now.mtimeMs === mtimeMs) return false;
    this.writtenDuringCapture(file, stored);
    return true;
  }

  private writtenDuringCapture(file: Located, stored: number): void {
    if (stored > 0) {
      this.host.problem(file.abs, {
        file: file.identity,
        message:
          `the file was written to while its records were being captured; the ${stored} records stored before ` +
          'that stay in the outbox, and the new content is captured as a new version once it is finished',
        transient: false,
      });
    }
    this.host.rewatch(file.abs);
  }

  private finished(file: Located, positions: number, rejected: number, resumedAt: number): void {
    this.host.resolved(file.abs);
    if (rejected > 0) {
      this.host.problem(file.abs, {
        file: file.identity,
        message:
          (rejected === positions
            ? `${plural(rejected, 'row')} ${rejected === 1 ? 'was' : 'were'} rejected (the whole file) and kept as ` +
              'dead letters with file, line and reason. '
            : `${rejected} of its ${positions} rows were rejected and kept as dead letters with file, line and ` +
              'reason; the other rows were captured. ') +
          'Fix the rows at the source and export again, or discard the dead letters',
        transient: false,
      });
    }
    this.host.captured(Date.now());
    this.host.logger.info(
      { file: file.identity, rows: positions, rejected, ...(resumedAt > 0 ? { resumedAt } : {}) },
      'file records captured',
    );
  }
}

/** "1 row", "3 rows". */
const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** The SHA-256 of the whole file, read through the handle (positioned reads: the handle's offset is untouched). */
async function hashOf(handle: FileHandle): Promise<string> {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(hashChunkBytes);
  for (let position = 0; ;) {
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
    if (bytesRead === 0) return hash.digest('hex');
    hash.update(buffer.subarray(0, bytesRead));
    position += bytesRead;
  }
}

/** The file's bytes from the start, in chunks, hashed on the way: proves the parse saw the hashed bytes. */
class HashedReads {
  private readonly hash: Hash = createHash('sha256');
  private position = 0;

  constructor(private readonly handle: FileHandle) {}

  async *chunks(): AsyncGenerator<Uint8Array> {
    for (;;) {
      const bytes = await this.next(readChunkBytes);
      if (bytes.length === 0) return;
      yield bytes;
    }
  }

  /** Hashes what the parse did not read, then returns the hash of the whole file as read. */
  async digestToEnd(): Promise<string> {
    while ((await this.next(hashChunkBytes)).length > 0);
    return this.hash.digest('hex');
  }

  private async next(size: number): Promise<Buffer> {
    const chunk = Buffer.allocUnsafe(size);
    const { bytesRead } = await this.handle.read(chunk, 0, size, this.position);
    const bytes = chunk.subarray(0, bytesRead);
    this.hash.update(bytes);
    this.position += bytesRead;
    return bytes;
  }
}
