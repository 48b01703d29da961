// Captures one settled path: a finished file becomes a new version (or nothing, same bytes), a vanished one a delete record.
// Whole-file mode reads the file here; records mode hands it to RecordsCapture.
import type { CapturedChange } from '../../core/change.js';
import type { CaptureHost } from './capture-host.js';
import type { FolderSourceConfig } from './config.js';
import type { FileProblem } from './file-problems.js';
import { observe, type FileRead } from './file-reader.js';
import {
  checkpointKey,
  contentHash,
  contentTypeFor,
  deleteRecordKey,
  fileVersionKey,
  nextGeneration,
  parseFileState,
  type FileState,
} from './file-version.js';
import type { Located } from './folder-layout.js';
import { readAhead, type ReadTurn } from './read-ahead.js';
import { OutboxRefused, RecordsCapture } from './records-capture.js';

type CaptureOptions = Pick<
  FolderSourceConfig,
  'maxFileBytes' | 'contentType' | 'emitDeletes' | 'afterDelivery' | 'records'
>;

/** Content read per outbox transaction of a group of settled files (one file over it goes alone). */
const groupBytes = 8 * 1024 * 1024;

/** Files read ahead of the one being stored; up to `smallBytes` at once, a bigger one when its turn comes. */
const readLimits = { atOnce: 16, smallBytes: 1024 * 1024 };

/** A settled file's new version, ready to store. */
interface Version {
  file: Located;
  size: number;
  change: CapturedChange;
  checkpoint: { key: string; value: string };
}

/** The JSON body of a delete record. */
export interface DeleteRecord {
  op: 'delete';
  path: string;
  lastSha256: string;
}

export class FileCapture {
  private readonly records: RecordsCapture | undefined;

  constructor(
    private readonly options: CaptureOptions,
    private readonly host: CaptureHost,
  ) {
    if (options.records) this.records = new RecordsCapture(options.records, host, () => host.interrupted());
  }

  /**
   * Handles a path that settled. Throws only when the outbox refuses the batch (disk full, …): the caller keeps the
   * path queued and retries; every problem of the file itself is reported per file and never stops the others.
   * 'again': a records-mode capture stopped part way (paused or stopping) and must run again to finish.
   */
  async settle(file: Located): Promise<void | 'again'> {
    if (this.records) return this.settleRecords(this.records, file);
    await this.settleWholeFiles([file]);
  }

  /** Whole-file mode only: the versions of many settled files go into the outbox in one transaction. */
  get groupable(): boolean {
    return this.records === undefined;
  }

  /**
   * Whole-file mode: reads the files a few at a time (read-ahead.ts) and stores their new versions in their order,
   * each with its own checkpoint, in one transaction per `groupBytes` of content. Throws when the outbox refuses (all
   * are retried).
   */
  async settleWholeFiles(files: readonly Located[]): Promise<void> {
    let versions: Version[] = [];
    let bytes = 0;
    for await (const version of readAhead(files, readLimits, (file, turn) => this.readVersion(file, turn))) {
      if (!version) continue;
      versions.push(version);
      bytes += version.size;
      if (bytes >= groupBytes) {
        await this.store(versions);
        versions = [];
        bytes = 0;
      }
    }
    if (versions.length > 0) await this.store(versions);
  }

  private async settleRecords(records: RecordsCapture, file: Located): Promise<void | 'again'> {
    let outcome;
    try {
      outcome = await records.capture(file);
    } catch (error) {
      if (error instanceof OutboxRefused) throw error.refusal;
      this.host.problem(file.abs, { file: file.identity, ...describeReadError(error) });
      return;
    }
    if (outcome.kind === 'unchanged') this.unchanged(file, outcome.state, outcome.mtimeMs);
    return outcome.kind === 'interrupted' ? 'again' : undefined;
  }

  /** The path stayed missing for the quiet period. */
  gone(file: Located): void {
    this.host.resolved(file.abs, true);
    const key = checkpointKey(file.identity);
    const state = parseFileState(this.host.checkpoint(key));
    if (!state || state.deleted || state.handled || !this.options.emitDeletes) return;
    const generation = state.generation ?? 0;
    const body: DeleteRecord = { op: 'delete', path: file.identity, lastSha256: state.hash };
    const tombstone: FileState = { ...state, deleted: true };
    this.host.emit({
      changes: [
        {
          idempotencyKey: deleteRecordKey(file.identity, state.hash, generation),
          orderingKey: file.identity,
          businessKey: lastSegment(file.identity),
          contentType: 'application/json',
          payload: Buffer.from(JSON.stringify(body)),
          origin: { file: file.identity, op: 'delete', sha256: state.hash },
        },
      ],
      checkpoints: [{ key, value: JSON.stringify(tombstone) }],
    });
    this.host.captured(Date.now());
    this.host.logger.info({ file: file.identity }, 'file deleted; delete record captured');
  }

  /** Reads one settled file: its new version, or undefined when there is nothing to store (problem, gone, same). */
  private async readVersion(file: Located, turn: ReadTurn): Promise<Version | undefined> {
    let read: FileRead;
    try {
      read = await this.host.readFile(file.abs, this.options.maxFileBytes, turn);
    } catch (error) {
      this.host.problem(file.abs, { file: file.identity, ...describeReadError(error) });
      return undefined;
    }
    switch (read.kind) {
      case 'gone':
        this.gone(file);
        return undefined;
      case 'not-a-file':
        this.host.problem(file.abs, {
          file: file.identity,
          message: 'it is a folder or a device, not a regular file: not captured',
          transient: false,
        });
        return undefined;
      case 'too-large':
        this.host.problem(file.abs, {
          file: file.identity,
          message:
            `the file is ${read.size} bytes, over the limit of ${this.options.maxFileBytes} bytes: not captured. ` +
            'Fix: raise maxFileBytes for this source, or have the export split its files',
          transient: false,
          size: read.size,
          mtimeMs: read.mtimeMs,
        });
        return undefined;
      case 'read':
        return this.versionOf(file, read);
    }
  }

  private async versionOf(
    file: Located,
    read: Extract<FileRead, { kind: 'read' }>,
  ): Promise<Version | undefined> {
    // The quiet period and the read are not atomic: make sure the bytes are still what the path holds.
    let after;
    try {
      after = await observe(file.abs);
    } catch (error) {
      this.host.problem(file.abs, { file: file.identity, ...describeReadError(error) });
      return undefined;
    }
    if (!after.exists) {
      this.host.problem(file.abs, {
        file: file.identity,
        message: 'the file vanished while it was being read: not captured',
        transient: false,
        keepWhenGone: true,
      });
      this.host.rewatch(file.abs); // a vanished captured file becomes a delete record once it stays gone
      return undefined;
    }
    if (!after.isFile || after.size !== read.bytes.length || after.mtimeMs !== read.mtimeMs) {
      this.host.rewatch(file.abs); // written to while being read: wait until it is finished again
      return undefined;
    }
    const hash = contentHash(read.bytes);
    const key = checkpointKey(file.identity);
    const state = parseFileState(this.host.checkpoint(key));
    if (state && !state.deleted && state.hash === hash) {
      this.unchanged(file, state, read.mtimeMs);
      return undefined;
    }
    const generation = nextGeneration(state);
    const next: FileState = {
      hash,
      size: read.bytes.length,
      mtimeMs: read.mtimeMs,
      ...(generation > 0 ? { generation } : {}),
    };
    return {
      file,
      size: read.bytes.length,
      checkpoint: { key, value: JSON.stringify(next) },
      change: {
        idempotencyKey: fileVersionKey(file.identity, hash, generation),
        orderingKey: file.identity,
        businessKey: lastSegment(file.identity),
        contentType: this.options.contentType ?? contentTypeFor(file.identity),
        payload: read.bytes,
        origin: {
          file: file.identity,
          size: read.bytes.length,
          sha256: hash,
          ...(generation > 0 ? { generation } : {}),
        },
      },
    };
  }

  /** One transaction for the versions of many files: each record with its file's checkpoint. */
  private async store(versions: Version[]): Promise<void> {
    await this.host.emitShaped({
      changes: versions.map((v) => v.change),
      checkpoints: versions.map((v) => v.checkpoint),
    });
    const at = Date.now();
    for (const { file, size } of versions) {
      this.host.resolved(file.abs);
      this.host.logger.info({ file: file.identity, size }, 'file captured');
    }
    this.host.captured(at);
  }

  /** Same bytes as the version already captured: nothing is sent again. */
  private unchanged(file: Located, state: FileState, mtimeMs: number): void {
    this.host.resolved(file.abs);
    const redropped = state.handled === true; // archived or deleted before, and now back with the same bytes
    if (state.mtimeMs !== mtimeMs || redropped) {
      // Remember the new mtime so rescans skip the file without reading it; a re-dropped copy is handled again.
      const { handled: _handled, ...rest } = state;
      const next: FileState = { ...rest, mtimeMs };
      this.host.emit({
        changes: [],
        checkpoints: [{ key: checkpointKey(file.identity), value: JSON.stringify(next) }],
      });
    }
    if (redropped && this.options.afterDelivery !== 'leave')
      this.host.queueAction(file.identity, state.hash, state.generation ?? 0);
  }
}

const lastSegment = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** A read error as a per-file problem: permission denied and locks are retried, the rest after the file changes. */
export function describeReadError(error: unknown): Pick<FileProblem, 'message' | 'transient'> {
  const e = error as NodeJS.ErrnoException;
  switch (e.code) {
    case 'EACCES':
    case 'EPERM':
      return {
        message: `cannot read it: permission denied (${e.code}). Fix: give the account the agent runs as read access`,
        transient: true,
      };
    case 'EBUSY':
      return {
        message:
          'another program still has it open (EBUSY: still being written, or locked); retrying until it is released',
        transient: true,
      };
    default:
      return {
        message: `cannot read it: ${e.code ? `${e.code} ` : ''}${e.message ?? String(error)}`,
        transient: true,
      };
  }
}
