// After the server confirmed a file version: leave it, move it to the archive, or delete it — never before the ack.
import { rename, unlink } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { ChangeBatch, EnqueueResult } from '../../core/change.js';
import type { DeliveredRecord } from '../../core/source.js';
import type { FolderSourceConfig } from './config.js';
import {
  archiveCompanion,
  archiveFile,
  archiveRootFor,
  claimPathFor,
  hashFileOnDisk,
  originalOfClaim,
  placeWithoutOverwrite,
  removeFile,
} from './file-actions.js';
import type { FileProblem } from './file-problems.js';
import { checkpointKey, fileVersionKey, parseFileState, type FileState } from './file-version.js';
import type { FolderLayout, Located } from './folder-layout.js';

/** The file version a record stands for. */
export interface FileVersionRef {
  identity: string;
  hash: string;
  generation: number;
}

/** The version a delivered record of this source stands for; undefined for delete records and foreign origins. */
export function versionOf(record: DeliveredRecord): FileVersionRef | undefined {
  const origin = record.origin;
  if (!origin || origin['op'] === 'delete') return undefined;
  const { file, sha256, generation } = origin;
  if (typeof file !== 'string' || typeof sha256 !== 'string') return undefined;
  return { identity: file, hash: sha256, generation: typeof generation === 'number' ? generation : 0 };
}

/** A delivered file that was archived ('archivedTo') or deleted (''), waiting for its checkpoint. */
interface Handled {
  file: Located;
  state: FileState;
  archivedTo: string;
}

/** Captured versions (from the checkpoints) the outbox says were delivered but whose action was never done. */
export function deliveredButNotHandled(
  states: ReadonlyMap<string, FileState>,
  deliveryStates: (keys: string[]) => ReadonlyMap<string, string>,
): FileVersionRef[] {
  const pending = new Map<string, FileVersionRef>();
  for (const [identity, state] of states) {
    if (state.deleted || state.handled) continue;
    const generation = state.generation ?? 0;
    pending.set(fileVersionKey(identity, state.hash, generation), { identity, hash: state.hash, generation });
  }
  if (pending.size === 0) return [];
  const delivered = deliveryStates([...pending.keys()]);
  return [...pending].filter(([key]) => delivered.get(key) === 'delivered').map(([, version]) => version);
}

/** File actions (rename, hash, delete or archive) run side by side, each on another file. */
const actionsAtOnce = 8;

/** Splits versions into chunks of at most `size` in which no file appears twice (its actions stay in order). */
function distinctFiles(versions: readonly FileVersionRef[], size: number): FileVersionRef[][] {
  const chunks: FileVersionRef[][] = [];
  let chunk: FileVersionRef[] = [];
  for (const version of versions) {
    if (chunk.length >= size || chunk.some((v) => v.identity === version.identity)) {
      chunks.push(chunk);
      chunk = [];
    }
    chunk.push(version);
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

type ActionOptions = Pick<FolderSourceConfig, 'afterDelivery' | 'archiveDir'>;

export interface ActionHost {
  emit(batch: ChangeBatch): EnqueueResult;
  checkpoint(key: string): string | undefined;
  logger: Logger;
  layout: FolderLayout;
  /** The marker file that goes with a file (finishedWhen marker), if any. */
  companionOf(path: string): string | undefined;
  problem(path: string, problem: Omit<FileProblem, 'failures'>): void;
  resolved(path: string): void;
  /** The file at `path` is about to be moved away by the action itself (so its watcher event is our own). */
  removing(path: string): void;
  /** Try the action again later (the file is locked, or the archive not writable, now). */
  retry(version: FileVersionRef): void;
}

export class AfterDelivery {
  constructor(
    private readonly options: ActionOptions,
    private readonly host: ActionHost,
  ) {}

  get active(): boolean {
    return this.options.afterDelivery !== 'leave';
  }

  /**
   * Archives or deletes the delivered version if the file still holds exactly those bytes. A file rewritten since is
   * left alone (its new version is captured on its own). A file system failure is reported for that file and retried
   * later; this throws only when the outbox refuses the checkpoint update.
   */
  async apply(version: FileVersionRef): Promise<void> {
    await this.applyMany([version]);
  }

  /** apply() for many delivered versions: the file actions one after the other, their checkpoints in one commit. */
  async applyMany(versions: readonly FileVersionRef[]): Promise<void> {
    const done: Handled[] = [];
    for (const chunk of distinctFiles(versions, actionsAtOnce)) {
      const handled = await Promise.all(chunk.map((version) => this.act(version)));
      for (const h of handled) if (h) done.push(h);
    }
    this.commit(done);
  }

  private async act(version: FileVersionRef): Promise<Handled | undefined> {
    const state = this.pendingState(version);
    const file = state && this.host.layout.resolveIdentity(version.identity);
    if (!state || !file) return undefined;
    const claim = claimPathFor(file.abs);
    let claimed = false;
    let outcome: string | false;
    try {
      this.host.removing(file.abs);
      await rename(file.abs, claim);
      claimed = true;
      outcome = await this.finishFiles(claim, file, state);
    } catch (error) {
      if (!claimed && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // already gone
      if (claimed) await this.putBack(claim, file).catch(() => undefined); // a rescan finds a claim left over
      this.failed(file, error);
      this.host.retry(version);
      return undefined;
    }
    return outcome === false ? undefined : { file, state, archivedTo: outcome };
  }

  /** A claim left by a crash mid-action: finish the action if it is the delivered version, else put it back. */
  async recoverClaim(claim: string): Promise<void> {
    const file = this.host.layout.locate(originalOfClaim(claim));
    if (!file) return;
    const state = parseFileState(this.host.checkpoint(checkpointKey(file.identity)));
    let outcome: string | false;
    try {
      const pending = state && !state.deleted && !state.handled && this.active;
      outcome = pending ? await this.finishFiles(claim, file, state) : await this.putBack(claim, file);
    } catch (error) {
      this.failed(file, error);
      return; // the next rescan tries again
    }
    if (state && outcome !== false) this.commit([{ file, state, archivedTo: outcome }]);
  }

  private pendingState(version: FileVersionRef): FileState | undefined {
    if (!this.active) return undefined;
    const state = parseFileState(this.host.checkpoint(checkpointKey(version.identity)));
    if (!state || state.deleted || state.handled) return undefined;
    if (state.hash !== version.hash || (state.generation ?? 0) !== version.generation) return undefined;
    return state;
  }

  /** Archives or deletes the claimed file; returns where it went ('' when deleted), or false when it was put back. */
  private async finishFiles(claim: string, file: Located, state: FileState): Promise<string | false> {
    if ((await hashFileOnDisk(claim)) !== state.hash) {
      await this.putBack(claim, file); // rewritten between capture and now: the new bytes are a new version
      return false;
    }
    const companion = this.host.companionOf(file.abs);
    if (this.options.afterDelivery === 'archive' && this.options.archiveDir) {
      const root = archiveRootFor(file.root.dir, this.options.archiveDir);
      const archived = await archiveFile(claim, root, file.rel, state.hash);
      if (companion) await archiveCompanion(companion, `${archived}${companion.slice(file.abs.length)}`);
      return archived;
    }
    await unlink(claim);
    if (companion) await removeFile(companion);
    return '';
  }

  private commit(done: readonly Handled[]): void {
    if (done.length === 0) return;
    // Bookkeeping: if a power cut loses it, the next action finds the file gone and leaves it at that.
    this.host.emit({
      changes: [],
      checkpoints: done.map(({ file, state }) => ({
        key: checkpointKey(file.identity),
        value: JSON.stringify({ ...state, handled: true } satisfies FileState),
      })),
      bookkeeping: true,
    });
    for (const { file, archivedTo } of done) {
      this.host.resolved(file.abs);
      this.host.logger.info(
        { file: file.identity, ...(archivedTo ? { archivedTo } : {}) },
        `delivered file ${this.pastTense()}`,
      );
    }
  }

  private failed(file: Located, error: unknown): void {
    const e = error as NodeJS.ErrnoException;
    const fix =
      this.options.afterDelivery === 'archive'
        ? `make sure the archive folder (${this.options.archiveDir}) is a folder the agent's account can write to`
        : "make sure the agent's account may delete files in this folder";
    this.host.problem(file.abs, {
      file: file.identity,
      message:
        `delivered, but it could not be ${this.pastTense()}: ${e.code ? `${e.code} ` : ''}${e.message ?? String(error)}. ` +
        `Fix: ${fix}, and that no other program holds the file open; retrying`,
      transient: true,
    });
  }

  /** Returns false (nothing to commit): the file is back under its name, or kept as the claim with a problem. */
  private async putBack(claim: string, file: Located): Promise<false> {
    if (await placeWithoutOverwrite(claim, file.abs)) {
      await unlink(claim);
      return false;
    }
    this.host.problem(file.abs, {
      file: file.identity,
      message:
        `a newer file appeared while the delivered one was being ${this.pastTense()}; the older copy was kept as ` +
        `${claim}. Fix: check it and move or delete it by hand`,
      transient: false,
    });
    return false;
  }

  private pastTense(): string {
    return this.options.afterDelivery === 'archive' ? 'archived' : 'deleted';
  }
}
