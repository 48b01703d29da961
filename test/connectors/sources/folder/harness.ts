// Runs a real FolderSource on temp folders against a real outbox file, recording what it emits and reports.
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach } from 'vitest';
import type { CapturedChange, ChangeBatch } from '../../../../connectors/core/change.js';
import type { SourceContext, SourceHealth } from '../../../../connectors/core/source.js';
import { folderSourceSchema } from '../../../../connectors/sources/folder/config.js';
import { FolderSource, type FolderIo } from '../../../../connectors/sources/folder/source.js';
import { Outbox } from '../../../../main/outbox/outbox.js';
import { waitFor } from '../../../support/agent-process.js';
import { useTempDir } from '../../../support/temp-dir.js';

export const connection = 'folder-test';

export interface RunningSource {
  source: FolderSource;
  /** Every change the outbox took, in order (duplicates included, as emitted). */
  emitted: CapturedChange[];
  /** Batches with checkpoint updates but no changes (mtime refresh, after-delivery bookkeeping). */
  checkpointOnly: ChangeBatch[];
  /** Make the next emits fail like a full disk (undefined: work again). */
  failEmits(error: Error | undefined): void;
  /** Called after each batch the outbox took (e.g. to pause the source part way through a file). */
  afterEmit?: (batch: ChangeBatch) => void;
  /** Idempotency keys the (simulated) engine reports as delivered through deliveryStates. */
  deliveredKeys: Set<string>;
  checkpoint(key: string): string | undefined;
  health(): SourceHealth;
  waitForEmitted(count: number, what?: string): Promise<void>;
}

export function useFolderHarness(prefix = 'folder-') {
  const tempDir = useTempDir({ prefix });
  const running: FolderSource[] = [];
  let outbox: Outbox | undefined;

  afterEach(async () => {
    for (const source of running.splice(0)) await source.stop();
    outbox?.close();
    outbox = undefined;
  });

  const openOutbox = () => {
    outbox ??= Outbox.open(join(tempDir(), 'outbox.db'), { synchronous: 'NORMAL', busyTimeoutMs: 1000 });
    return outbox;
  };

  return {
    dir: (...parts: string[]) => join(tempDir(), ...parts),
    /** Creates a folder (and parents) under the temp dir and returns its path. */
    folder(...parts: string[]): string {
      const path = join(tempDir(), ...parts);
      mkdirSync(path, { recursive: true });
      return path;
    },
    /** Writes a file and sets its mtime `ageMs` in the past (so a quiet period of that length has already passed). */
    write(path: string, content: string | Buffer, ageMs = 0): void {
      writeFileSync(path, content);
      if (ageMs > 0) {
        const at = new Date(Date.now() - ageMs);
        utimesSync(path, at, at);
      }
    },
    async start(config: Record<string, unknown>, io?: FolderIo): Promise<RunningSource> {
      const parsed = folderSourceSchema.parse({ type: 'folder', ...config });
      const source = new FolderSource({ ...parsed, ...(io ? { io } : {}) });
      running.push(source);
      const store = openOutbox();
      const emitted: CapturedChange[] = [];
      const checkpointOnly: ChangeBatch[] = [];
      const deliveredKeys = new Set<string>();
      let failure: Error | undefined;
      const context: SourceContext = {
        emit(batch) {
          if (failure) throw failure;
          const result = store.enqueue(connection, batch);
          emitted.push(...batch.changes);
          if (batch.changes.length === 0) checkpointOnly.push(batch);
          run.afterEmit?.(batch);
          return result;
        },
        emitShaped(batch) {
          return Promise.resolve(this.emit(batch));
        },
        checkpoint: (key) => store.checkpoint(connection, key),
        checkpoints: () => store.checkpoints(connection),
        logger: pino({ level: 'silent' }),
        reportHealth: () => undefined,
        deliveryStates: (keys) =>
          new Map(keys.filter((k) => deliveredKeys.has(k)).map((k) => [k, 'delivered'] as const)),
      };
      const run: RunningSource = {
        source,
        emitted,
        checkpointOnly,
        deliveredKeys,
        failEmits: (error) => {
          failure = error;
        },
        checkpoint: (key) => store.checkpoint(connection, key),
        health: () => source.health(),
        waitForEmitted: (count, what) =>
          waitFor(() => emitted.length >= count, 8000, what ?? `${count} change(s) emitted`),
      };
      await source.start(context);
      return run;
    },
    /** The real outbox the sources of this test write to. */
    outbox: openOutbox,
    /** Stops a source started by this harness (the outbox stays open, so a restart sees its checkpoints). */
    async stop(run: RunningSource): Promise<void> {
      await run.source.stop();
      running.splice(running.indexOf(run.source), 1);
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const bodies = (changes: CapturedChange[]) => changes.map((c) => c.payload.toString());
