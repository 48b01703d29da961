// `outbox salvage`: an intact file comes back whole (and a second run adds nothing); a file with garbage pages gives back what it can.
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CapturedChange } from '../../connectors/core/change.js';
import { Outbox } from '../../main/outbox/outbox.js';
import { salvageOutbox } from '../../main/outbox/salvage.js';
import { outboxFile } from '../../main/shared/data-dir.js';
import { runCli } from '../support/agent-process.js';
import { useTempDir } from '../support/temp-dir.js';
import { seedSchema4Outbox, seededState } from './schema4-seed.js';

const tempDir = useTempDir({ prefix: 'outbox-salvage-' });
const options = { synchronous: 'FULL', busyTimeoutMs: 5000 } as const;

function change(i: number, extra: Partial<CapturedChange> = {}): CapturedChange {
  return {
    idempotencyKey: `rec-${i}`,
    orderingKey: `k${i % 7}`,
    businessKey: `INV-${i}`,
    contentType: 'application/json',
    payload: Buffer.from(JSON.stringify({ i, note: `payload ${i} `.repeat(12) })),
    ...extra,
  };
}

/**
 * An old agent's outbox: `count` records of "orders" over 7 ordering keys (the first 7 delivered, those after the first
 * 10 captured under a site id), and 3 dead letters of "files".
 */
function oldOutbox(file: string, count: number): void {
  const outbox = Outbox.open(file, options);
  try {
    outbox.enqueue('orders', { changes: Array.from({ length: 10 }, (_, i) => change(i)), checkpoints: [] });
    const lease = outbox.lease({ connection: 'orders', max: 10, maxBytes: 1e9, leaseMs: 60_000 });
    outbox.settle(
      lease.token,
      lease.records.map((r) => ({
        id: r.id,
        kind: 'delivered',
        receipt: { code: 'PUBACK', at: 1 },
        latencyMs: 1,
      })),
    );
    outbox.useSiteId('plant-7');
    for (let i = 10; i < count; i += 500)
      outbox.enqueue('orders', {
        changes: Array.from({ length: Math.min(500, count - i) }, (_, j) => change(i + j)),
        checkpoints: [],
      });
    outbox.useSiteId(undefined);
    outbox.enqueue('files', {
      changes: [0, 1, 2].map((i) => change(10_000 + i, { rejected: { reason: `bad row ${i}` } })),
      checkpoints: [],
    });
  } finally {
    outbox.close();
  }
}

function liveOutbox(dir: string): Outbox {
  mkdirSync(dir, { recursive: true });
  return Outbox.open(outboxFile(dir), options);
}

describe('outbox salvage', () => {
  it('brings back every pending record and dead letter of an intact file, keys and payloads as they were; a second run adds nothing', async () => {
    const dir = tempDir();
    const old = join(dir, 'old-outbox.db');
    oldOutbox(old, 300);
    const dataDir = join(dir, 'data');
    liveOutbox(dataDir).close();

    const first = await runCli(['outbox', 'salvage', old, '--data-dir', dataDir]);
    expect(first.output).toContain('the file read normally');
    expect(first.output).toContain(
      'orders: 293 pending read, 293 new in this outbox; 0 dead letters read, 0 new',
    );
    expect(first.output).toContain('files: 0 pending read, 0 new in this outbox; 3 dead letters read, 3 new');
    expect(first.output).toContain('Every row of the file could be read.');
    expect(first.code).toBe(0);

    const outbox = liveOutbox(dataDir);
    try {
      const lease = outbox.lease({ connection: 'orders', max: 1000, maxBytes: 1e9, leaseMs: 60_000 });
      // One head per ordering key, each with the key it was sent under on the old machine.
      expect(lease.records.map((r) => r.idempotencyKey)).toEqual([
        'rec-7',
        'rec-8',
        'rec-9',
        ...[10, 11, 12, 13].map((i) => `plant-7:rec-${i}`),
      ]);
      expect(lease.records[3]!.payload).toEqual(change(10).payload);
      expect(outbox.counts('orders')).toMatchObject({ pending: 293 });
      expect(outbox.counts('files')).toMatchObject({ dead: 3 });
      const dead = outbox.search({ businessKey: 'INV-10001', limit: 1 })[0]!;
      expect(dead).toMatchObject({ state: 'dead', idempotencyKey: 'rec-10001' });
      expect(outbox.timeline(dead.id)?.record.lastError).toContain('bad row 1');
      const again = salvageOutbox(old, outbox);
      expect(again.connections).toEqual([
        { connection: 'files', pending: 0, pendingEnqueued: 0, dead: 3, deadEnqueued: 0 },
        { connection: 'orders', pending: 293, pendingEnqueued: 0, dead: 0, deadEnqueued: 0 },
      ]);
    } finally {
      outbox.close();
    }
  });

  it('reads a file of an agent from before record_payloads (payloads in the records row), byte for byte', () => {
    const dir = tempDir();
    const old = join(dir, 'schema4.db');
    const total = 200;
    seedSchema4Outbox(old, total);
    const outbox = liveOutbox(join(dir, 'data'));
    try {
      const report = salvageOutbox(old, outbox);
      expect(report.method).toBe('query');
      const open = Array.from({ length: total }, (_, i) => i).filter((i) =>
        ['pending', 'leased'].includes(seededState(i)),
      );
      const pending = report.connections.reduce((n, c) => n + c.pendingEnqueued, 0);
      expect(pending).toBe(open.length);
      const payloads = ['conn-a', 'conn-b'].flatMap((connection) =>
        outbox.lease({ connection, max: 1000, maxBytes: 1e9, leaseMs: 60_000 }).records.map((r) => r.payload),
      );
      const seeded = open.map((i) =>
        Buffer.from(JSON.stringify({ n: i, invoice: `INV-${i}`, amount: (i * 7) % 1000 })),
      );
      expect(payloads).toEqual(seeded);
    } finally {
      outbox.close();
    }
  });

  it('reads a file with garbage in its middle pages row by row: what it returns is intact, the rest is reported', () => {
    const dir = tempDir();
    const old = join(dir, 'damaged.db');
    const count = 4000;
    oldOutbox(old, count);
    const pageSize = 4096;
    const pages = statSync(old).size / pageSize;
    expect(pages).toBeGreaterThan(100);
    const fd = openSync(old, 'r+');
    try {
      for (const page of [Math.floor(pages * 0.3), Math.floor(pages * 0.3) + 1, Math.floor(pages * 0.5)])
        writeSync(fd, randomBytes(pageSize), 0, pageSize, page * pageSize);
    } finally {
      closeSync(fd);
    }

    const outbox = liveOutbox(join(dir, 'data'));
    try {
      const report = salvageOutbox(old, outbox);
      expect(report.method).toBe('per-row');
      expect(report.problem).toMatch(/malformed|corrupt/i);
      expect(report.unreadableRows).toBeGreaterThan(0);
      expect(report.unreadable[0]).toMatch(/^\d+(-\d+)?$/);
      const orders = report.connections.find((c) => c.connection === 'orders')!;
      // Most rows live on undamaged pages; together with the unreadable ones they account for every open record.
      expect(orders.pending).toBeGreaterThan((count - 7) / 2);
      expect(orders.pending + report.unreadableRows).toBeGreaterThanOrEqual(count - 7);
      expect(orders.pendingEnqueued).toBe(orders.pending);
      // Every record that came back is byte for byte what was captured.
      const lease = outbox.lease({ connection: 'orders', max: 10_000, maxBytes: 1e12, leaseMs: 60_000 });
      for (const record of lease.records) {
        const i = Number(/^(?:plant-7:)?rec-(\d+)$/.exec(record.idempotencyKey)?.[1]);
        expect(record.payload).toEqual(change(i).payload);
      }
      expect(
        salvageOutbox(old, outbox).connections.find((c) => c.connection === 'orders')?.pendingEnqueued,
      ).toBe(0);
    } finally {
      outbox.close();
    }
  });
});
