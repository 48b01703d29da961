// One poll: pages in (watermark, key) order from the overlap window on, each page stored with its checkpoint.
import type { ChangeBatch, CheckpointUpdate, EnqueueResult } from '../../core/change.js';
import type { DatabaseClient } from './database-client.js';
import type { MappedRow, RowMapper } from './row-mapper.js';
import type { SqlBuilder } from './sql-builder.js';
import { loadValue, storeValue, type StoredValue } from './values.js';
import type { Watermark } from './watermark.js';

export const cursorKey = 'cursor';

/** Extra checkpoint entries stored with a page (the journal of captured keys); commit() once it is stored. */
export interface PageHook {
  pageCheckpoints(rows: MappedRow[]): { updates: CheckpointUpdate[]; commit(): void };
}

export interface PollerOptions {
  builder: SqlBuilder;
  mapper: RowMapper;
  /** Undefined: no watermark, every poll reads the whole table (row-hash keys). */
  watermark?: Watermark | undefined;
  batchSize: number;
  /**
   * Once the newest watermark has not moved for this long, polls stop re-reading the overlap window and only look
   * past the newest row: a late row would by then have committed later than the window allows anyway.
   */
  quietAfterMs: number;
  hook?: PageHook | undefined;
}

export interface PollResult {
  rows: number;
  inserted: number;
  /** The last page was short: everything committed before the poll began has been read. */
  caughtUp: boolean;
}

export interface PollIo {
  client: DatabaseClient;
  /** Shapes the page (the connection's mapping, when it has one), then stores it with its checkpoint in one transaction. */
  emit(batch: ChangeBatch): Promise<EnqueueResult>;
  /** Checked between pages: stop early (paused or stopping). */
  interrupted(): boolean;
}

export class RowPoller {
  /** Paging values of the furthest row stored (the checkpoint); undefined before the first row. */
  private newest: unknown[] | undefined;
  /** Keys stored recently (by watermark order, or by poll number without a watermark): repeats are not re-sent. */
  private readonly recent = new Map<string, number>();
  private polls = 0;
  /** When the newest row last moved (or the poller started): see quietAfterMs. */
  private movedAt = Date.now();

  constructor(private readonly options: PollerOptions) {}

  /** Restores the position from the stored checkpoint. */
  load(stored: string | undefined): void {
    this.newest = stored === undefined ? undefined : (JSON.parse(stored) as StoredValue[]).map(loadValue);
  }

  /** The raw watermark of the furthest row stored. */
  newestWatermark(): unknown {
    return this.options.watermark ? this.newest?.[0] : undefined;
  }

  async poll(io: PollIo): Promise<PollResult> {
    const { builder, mapper, batchSize, watermark, hook } = this.options;
    this.polls += 1;
    let position = this.startPosition();
    // Rows are read in (watermark, key) order; the stored position moves once the read has passed it.
    const newestStored = this.newest && JSON.stringify(this.newest.map(storeValue));
    let passed = watermark !== undefined && (this.newest === undefined || position.atLeast === undefined);
    let rows = 0;
    let inserted = 0;
    for (;;) {
      if (io.interrupted()) return { rows, inserted, caughtUp: false };
      const sql = builder.page(batchSize, position);
      const result = await io.client.query(sql.text, sql.params);
      if (io.interrupted()) return { rows, inserted, caughtUp: false };
      const page = result.rows.map((row) => mapper.map(row, result.kinds));
      const last = page.at(-1);
      if (!last) return { rows, inserted, caughtUp: true };
      rows += page.length;
      const fresh = page.filter((row) => !this.recent.has(row.change.idempotencyKey));
      const stored = (row: MappedRow) => JSON.stringify(row.position.map(storeValue));
      const newest = this.newest;
      if (!passed && watermark && newest) {
        passed = page.some(
          (row) => watermark.compare(row.watermark, newest[0]) > 0 || stored(row) === newestStored,
        );
      }
      const moved = passed && stored(last) !== newestStored;
      const extra = hook?.pageCheckpoints(fresh);
      const checkpoints = [
        ...(moved ? [{ key: cursorKey, value: stored(last) }] : []),
        ...(extra?.updates ?? []),
      ];
      if (fresh.length > 0 || checkpoints.length > 0) {
        inserted += (await io.emit({ changes: fresh.map((row) => row.change), checkpoints })).inserted;
        extra?.commit();
      }
      if (moved) {
        this.newest = last.position;
        this.movedAt = Date.now();
      }
      for (const row of fresh) {
        this.recent.set(row.change.idempotencyKey, watermark ? watermark.order(row.watermark) : this.polls);
      }
      if (page.length < batchSize) break;
      position = { after: last.position };
    }
    this.forgetOld();
    return { rows, inserted, caughtUp: true };
  }

  private startPosition(): { after?: unknown[]; atLeast?: unknown } {
    const { watermark } = this.options;
    if (!watermark || this.newest === undefined) return {};
    if (Date.now() - this.movedAt > this.options.quietAfterMs) return { after: this.newest };
    const atLeast = watermark.overlapStart(this.newest[0]);
    return atLeast === undefined ? { after: this.newest } : { atLeast };
  }

  /** Drops remembered keys the next poll cannot read again (below its overlap window, or two full scans ago). */
  private forgetOld(): void {
    const { watermark } = this.options;
    let below = this.polls;
    if (watermark && this.newest !== undefined) {
      const start = watermark.overlapStart(this.newest[0]);
      below = watermark.order(start === undefined ? this.newest[0] : start);
    }
    for (const [key, order] of this.recent) if (order < below) this.recent.delete(key);
  }
}
