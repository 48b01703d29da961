// RowPoller against a scripted client: checkpoints only move forward, overlap re-reads are not re-sent, quiet tables.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChangeBatch } from '../../../../connectors/core/change.js';
import type { DatabaseClient } from '../../../../connectors/sources/database/database-client.js';
import { RowMapper } from '../../../../connectors/sources/database/row-mapper.js';
import { RowPoller } from '../../../../connectors/sources/database/row-poller.js';
import { SqlBuilder } from '../../../../connectors/sources/database/sql-builder.js';
import { Watermark } from '../../../../connectors/sources/database/watermark.js';

type Row = { id: number; v: string };

/** Serves rows from an in-memory "table" for the two WHERE shapes the builder writes (>= bound, or after a row). */
function tableClient(rows: () => Row[], seen: { sql: string; params: readonly unknown[] }[]): DatabaseClient {
  return {
    query(sql, params) {
      seen.push({ sql, params });
      const limit = Number(/LIMIT (\d+)/.exec(sql)?.[1]);
      const sorted = [...rows()].sort((a, b) => a.v.localeCompare(b.v) || a.id - b.id);
      let result = sorted;
      if (sql.includes('"v" >= ? AND ((')) {
        const [v, , , id] = params as [string, string, string, number];
        result = sorted.filter((r) => r.v > v || (r.v === v && r.id > id));
      } else if (sql.includes('"v" >= ?')) {
        result = sorted.filter((r) => r.v >= (params[0] as string));
      }
      return Promise.resolve({ rows: result.slice(0, limit), kinds: new Map() });
    },
    execute: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}

function poller(quietAfterMs = 120_000) {
  const spec = {
    dialect: 'sqlite' as const,
    table: 't',
    columns: ['*'],
    watermark: { column: 'v', type: 'timestamp' as const },
    primaryKey: ['id'],
  };
  const builder = new SqlBuilder(spec);
  const watermark = new Watermark(spec.watermark, 'sqlite', { overlapMs: 60_000, overlapValues: 0 });
  const identity = { sourceType: 'sqlite', database: '/db', target: 'table t' };
  return new RowPoller({
    builder,
    mapper: new RowMapper({
      identity,
      label: 't',
      primaryKey: ['id'],
      orderColumns: builder.orderColumns,
      watermark: 'v',
    }),
    watermark,
    batchSize: 2,
    quietAfterMs,
  });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('RowPoller', () => {
  it('stores each page with the furthest position and does not re-send rows the overlap reads again', async () => {
    const table: Row[] = [
      { id: 1, v: '2024-05-01T10:00:00Z' },
      { id: 2, v: '2024-05-01T10:00:00Z' },
      { id: 3, v: '2024-05-01T10:00:00Z' },
    ];
    const batches: ChangeBatch[] = [];
    const seen: { sql: string; params: readonly unknown[] }[] = [];
    const io = {
      client: tableClient(() => table, seen),
      emit: (batch: ChangeBatch) => {
        batches.push(batch);
        return Promise.resolve({ inserted: batch.changes.length, duplicates: 0 });
      },
      interrupted: () => false,
    };
    const p = poller();
    expect(await p.poll(io)).toEqual({ rows: 3, inserted: 3, caughtUp: true });
    expect(batches.map((b) => b.changes.length)).toEqual([2, 1]);
    expect(batches.map((b) => b.checkpoints)).toEqual([
      [{ key: 'cursor', value: '["2024-05-01T10:00:00Z",2]' }],
      [{ key: 'cursor', value: '["2024-05-01T10:00:00Z",3]' }],
    ]);
    table.push({ id: 4, v: '2024-05-01T09:59:30Z' }); // a late commit, inside the window
    expect(await p.poll(io)).toEqual({ rows: 4, inserted: 1, caughtUp: true });
    expect(batches.at(-1)?.changes).toHaveLength(1);
    expect(batches.at(-1)?.checkpoints).toEqual([]); // the position does not move back
    expect(seen.at(-3)?.params).toEqual(['2024-05-01T09:59:00Z']);
    expect(p.newestWatermark()).toBe('2024-05-01T10:00:00Z');
  });

  it('stops re-reading the overlap window once the newest row has not moved for quietAfterMs', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const table: Row[] = [{ id: 1, v: '2024-05-01T10:00:00Z' }];
    const seen: { sql: string; params: readonly unknown[] }[] = [];
    const io = {
      client: tableClient(() => table, seen),
      emit: (batch: ChangeBatch) => Promise.resolve({ inserted: batch.changes.length, duplicates: 0 }),
      interrupted: () => false,
    };
    const p = poller(1000);
    await p.poll(io);
    await p.poll(io);
    expect(seen.at(-1)?.sql).toContain('WHERE "v" >= ? ORDER BY');
    vi.advanceTimersByTime(1001);
    await p.poll(io);
    expect(seen.at(-1)?.sql).toContain('"v" >= ? AND ((');
    expect(seen.at(-1)?.params).toEqual([
      '2024-05-01T10:00:00Z',
      '2024-05-01T10:00:00Z',
      '2024-05-01T10:00:00Z',
      1,
    ]);
  });
});
