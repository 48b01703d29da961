// Delete detection by reconciliation: keys captured so far (kept in checkpoints) are looked up in chunks; gone → delete.
import type { ChangeBatch, CheckpointUpdate, EnqueueResult } from '../../core/change.js';
import type { DatabaseClient } from './database-client.js';
import type { PageHook } from './row-poller.js';
import { deleteChange, type MappedRow, type RowMapperOptions } from './row-mapper.js';
import type { SqlBuilder } from './sql-builder.js';
import { loadValue, storeValue, toJson, type StoredValue } from './values.js';

/**
 * Captured keys live in checkpoint entries: each stored page appends one journal entry (`rk:j:<n>`, cheap, in the
 * page's own transaction); a reconciliation pass first folds the journal into 256 hash buckets (`rk:b:<n>`, key →
 * version last captured), then looks up every bucket's keys, `chunkSize` per query. A key that is gone becomes a
 * delete event, stored in the same transaction that removes it from its bucket.
 */
const bucketCount = 256;
const foldKeysPerTransaction = 20_000;
const journalKey = (seq: number) => `rk:j:${seq}`;
const bucketKey = (bucket: number) => `rk:b:${bucket}`;
const firstKey = 'rk:first';
const nextKey = 'rk:next';

export interface ReconcileIo {
  client: DatabaseClient;
  emit(batch: ChangeBatch): Promise<EnqueueResult>;
  checkpoint(key: string): string | undefined;
  interrupted(): boolean;
}

export interface ReconcilerOptions extends Pick<RowMapperOptions, 'identity' | 'label' | 'primaryKey'> {
  builder: SqlBuilder;
  chunkSize: number;
  intervalMs: number;
}

/** FNV-1a: a fast, stable spread of keys over the buckets. */
function bucketOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i += 1) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % bucketCount;
}

function readBucket(value: string | undefined): Map<string, string> {
  return new Map(value === undefined ? [] : (JSON.parse(value) as [string, string][]));
}

export class Reconciler implements PageHook {
  private first = 0;
  private next = 0;
  private pass: { bucket: number } | undefined;
  private lastPassAt: number | undefined;

  constructor(private readonly options: ReconcilerOptions) {}

  load(checkpoint: (key: string) => string | undefined): void {
    this.first = Number(checkpoint(firstKey) ?? 0);
    this.next = Number(checkpoint(nextKey) ?? 0);
  }

  pageCheckpoints(rows: MappedRow[]): { updates: CheckpointUpdate[]; commit(): void } {
    if (rows.length === 0) return { updates: [], commit: () => undefined };
    const seq = this.next;
    return {
      updates: [
        { key: journalKey(seq), value: JSON.stringify(rows.map((row) => [row.storedKey, row.version])) },
        { key: nextKey, value: String(seq + 1) },
      ],
      commit: () => {
        this.next = seq + 1;
      },
    };
  }

  /** A pass is under way, or the interval since the last one has passed (the first runs once capture caught up). */
  due(now: number): boolean {
    return (
      this.pass !== undefined ||
      this.lastPassAt === undefined ||
      now - this.lastPassAt >= this.options.intervalMs
    );
  }

  inProgress(): boolean {
    return this.pass !== undefined;
  }

  /** Advances the pass by up to `maxQueries` lookups (whole buckets); returns the number of deletes stored. */
  async step(io: ReconcileIo, now: number, maxQueries: number): Promise<number> {
    // Folding at every step (polls run only between steps) means a bucket is checked against every key captured so
    // far, so a row that changed and then vanished is reported once, under the version captured last.
    await this.fold(io);
    this.pass ??= { bucket: 0 };
    let queries = 0;
    let deletes = 0;
    while (this.pass.bucket < bucketCount && queries < maxQueries) {
      if (io.interrupted()) return deletes;
      const bucket = this.pass.bucket;
      const keys = readBucket(io.checkpoint(bucketKey(bucket)));
      const missing: [string, string][] = [];
      const all = [...keys.keys()];
      for (let i = 0; i < all.length; i += this.options.chunkSize) {
        const chunk = all.slice(i, i + this.options.chunkSize);
        const found = await this.lookup(io.client, chunk);
        queries += 1;
        for (const key of chunk) if (!found.has(key)) missing.push([key, keys.get(key) ?? '']);
      }
      if (io.interrupted()) return deletes;
      if (missing.length > 0) {
        for (const [key] of missing) keys.delete(key);
        await io.emit({
          changes: missing.map(([key, version]) => this.deleteOf(key, version)),
          checkpoints: [{ key: bucketKey(bucket), value: keys.size > 0 ? JSON.stringify([...keys]) : null }],
        });
        deletes += missing.length;
      }
      this.pass.bucket += 1;
    }
    if (this.pass.bucket >= bucketCount) {
      this.pass = undefined;
      this.lastPassAt = now;
    }
    return deletes;
  }

  /** Moves journal entries into their buckets, a bounded number of keys per transaction. */
  private async fold(io: ReconcileIo): Promise<void> {
    while (this.first < this.next) {
      const adds = new Map<number, Map<string, string>>();
      let seq = this.first;
      let count = 0;
      const consumed: CheckpointUpdate[] = [];
      while (seq < this.next && count < foldKeysPerTransaction) {
        const entry = io.checkpoint(journalKey(seq));
        consumed.push({ key: journalKey(seq), value: null });
        seq += 1;
        for (const [key, version] of entry === undefined ? [] : (JSON.parse(entry) as [string, string][])) {
          const bucket = bucketOf(key);
          const into = adds.get(bucket) ?? new Map<string, string>();
          into.set(key, version);
          adds.set(bucket, into);
          count += 1;
        }
      }
      const updates: CheckpointUpdate[] = [];
      for (const [bucket, entries] of adds) {
        const keys = readBucket(io.checkpoint(bucketKey(bucket)));
        for (const [key, version] of entries) keys.set(key, version);
        updates.push({ key: bucketKey(bucket), value: JSON.stringify([...keys]) });
      }
      await io.emit({
        changes: [],
        checkpoints: [...updates, ...consumed, { key: firstKey, value: String(seq) }],
      });
      this.first = seq;
    }
  }

  /** The stored forms of the keys of `chunk` that still exist. */
  private async lookup(client: DatabaseClient, chunk: string[]): Promise<Set<string>> {
    const values = chunk.map((key) => (JSON.parse(key) as StoredValue[]).map(loadValue));
    const sql = this.options.builder.existing(values);
    const result = await client.query(sql.text, sql.params);
    return new Set(
      result.rows.map((row) =>
        JSON.stringify(this.options.primaryKey.map((column) => storeValue(row[column]))),
      ),
    );
  }

  private deleteOf(key: string, version: string) {
    const pk = (JSON.parse(key) as StoredValue[]).map((value) => toJson(loadValue(value)));
    return deleteChange(this.options, pk, version);
  }
}
