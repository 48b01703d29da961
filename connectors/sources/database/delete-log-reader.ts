// Trigger mode: reads the delete log the installed trigger writes and stores each entry whose row is gone as a delete.
import type { ChangeBatch, EnqueueResult } from '../../core/change.js';
import type { DatabaseClient } from './database-client.js';
import { deleteChange, type RowMapperOptions } from './row-mapper.js';
import type { SqlBuilder } from './sql-builder.js';
import type { JsonValue } from './values.js';

export const deleteLogKey = 'deletes:log';

export interface DeleteLogIo {
  client: DatabaseClient;
  emit(batch: ChangeBatch): Promise<EnqueueResult>;
  interrupted(): boolean;
}

export interface DeleteLogOptions extends Pick<RowMapperOptions, 'identity' | 'label' | 'primaryKey'> {
  builder: SqlBuilder;
  batchSize: number;
  /** Log ids are assigned before commit: each read goes back this many ids for late commits (repeats dropped by key). */
  overlapIds: number;
}

export class DeleteLogReader {
  private lastId = 0n;
  private readonly recent = new Set<string>();

  constructor(private readonly options: DeleteLogOptions) {}

  load(stored: string | undefined): void {
    this.lastId = BigInt(stored ?? '0');
  }

  /** Reads every entry after the overlap window; returns the number of deletes newly stored. */
  async read(io: DeleteLogIo): Promise<number> {
    const { builder, batchSize, overlapIds } = this.options;
    let after = this.lastId - BigInt(overlapIds);
    let inserted = 0;
    for (;;) {
      if (io.interrupted()) return inserted;
      const sql = builder.deletedRows((after < 0n ? 0n : after).toString(), batchSize);
      const { rows } = await io.client.query(sql.text, sql.params);
      const entries: LogEntry[] = rows.map((row) => ({ id: String(row['id']), pk: parsePk(row['pk']) }));
      const fresh = entries.filter((entry) => !this.recent.has(entry.id));
      const last = entries.at(-1);
      if (!last) break;
      const newest = BigInt(last.id) > this.lastId ? BigInt(last.id) : this.lastId;
      const gone = await this.withoutPresent(io.client, fresh);
      if (fresh.length > 0 || newest !== this.lastId) {
        const stored = await io.emit({
          changes: gone.map((entry) => deleteChange(this.options, entry.pk, `log:${entry.id}`)),
          checkpoints: [{ key: deleteLogKey, value: newest.toString() }],
        });
        inserted += stored.inserted;
      }
      this.lastId = newest;
      for (const entry of fresh) this.recent.add(entry.id);
      if (entries.length < batchSize) break;
      after = BigInt(last.id);
    }
    const keepFrom = this.lastId - BigInt(overlapIds);
    for (const id of this.recent) if (BigInt(id) < keepFrom) this.recent.delete(id);
    return inserted;
  }

  /**
   * Drops the entries whose key exists again (deleted, then inserted again): that newer row is captured by a
   * poll, and storing the delete after it would leave the API without a row the table has. The lookup runs after
   * the log read and before the next poll, so a key found absent here was deleted after any version a poll stored,
   * and a version inserted later is stored by a later poll, after this delete.
   */
  private async withoutPresent(client: DatabaseClient, entries: LogEntry[]): Promise<LogEntry[]> {
    if (entries.length === 0) return entries;
    const texts = entries.map((entry) =>
      entry.pk.map((value) => (typeof value === 'string' ? value : JSON.stringify(value))),
    );
    const sql = this.options.builder.presentKeys(texts);
    const { rows } = await client.query(sql.text, sql.params);
    const width = this.options.primaryKey.length;
    const present = new Set(
      rows.map((row) => JSON.stringify(Array.from({ length: width }, (_, i) => String(row[`k${i}`])))),
    );
    return entries.filter((_, i) => !present.has(JSON.stringify(texts[i])));
  }
}

interface LogEntry {
  id: string;
  pk: JsonValue[];
}

/** The trigger stores the key values as a JSON array of text (PostgreSQL jsonb arrives parsed). */
function parsePk(value: unknown): JsonValue[] {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  if (!Array.isArray(parsed))
    throw new Error(`the delete log holds a key that is not a JSON array: ${String(value)}`);
  return parsed as JsonValue[];
}
