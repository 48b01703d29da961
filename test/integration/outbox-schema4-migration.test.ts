// A schema-4 outbox of 100k records in every state migrates in place, keeps everything (payloads byte for byte), and survives SIGKILL mid-way.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentSchemaVersion } from '../../main/outbox/migrations/index.js';
import { openOutboxDatabase } from '../../main/outbox/open-database.js';
import { Outbox } from '../../main/outbox/outbox.js';
import {
  auditAll,
  checkpointsAll,
  differingRows,
  eventsAll,
  isCompacted,
  payloadsInSchema4,
  payloadsNow,
  recordsAfterRestart,
  recordsExactly,
  seedSchema4Outbox,
  seedStart,
  seededBatchKey,
  seededState,
} from './schema4-seed.js';

const total = 100_000;
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const options = { synchronous: 'NORMAL' as const, busyTimeoutMs: 1000 };

let dir: string;
let seeded: string;

function copySeed(name: string): string {
  const file = path.join(dir, name);
  fs.copyFileSync(seeded, file);
  return file;
}

function columnsOf(db: Database.Database): string[] {
  return (db.pragma('table_info(records)') as { name: string }[]).map((c) => c.name);
}

/** Runs the open in a child; kills it with SIGKILL `killAfterMs` after it is ready (undefined: let it finish). */
function openInChild(file: string, killAfterMs?: number): Promise<{ output: string; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/integration/outbox-open-child.ts', file],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    const collect = (chunk: Buffer) => {
      const wasReady = output.includes('ready\n');
      output += chunk.toString();
      if (!wasReady && output.includes('ready\n') && killAfterMs !== undefined)
        setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolve({ output, signal }));
  });
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outbox-schema4-'));
  seeded = path.join(dir, 'schema4.db');
  seedSchema4Outbox(seeded, total);
  const db = new Database(seeded, { readonly: true });
  expect(db.pragma('user_version', { simple: true })).toBe(4);
  expect(db.prepare('SELECT count(*) FROM records').pluck().get()).toBe(total);
  db.close();
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('migrating a schema-4 outbox of 100k records', () => {
  it('keeps every record (state, key, payload, attempts, batch), the timelines and the checkpoints, and delivers the open ones under their keys', () => {
    expect(currentSchemaVersion).toBeGreaterThan(4);
    const file = copySeed('in-place.db');

    // The migration alone (no start-up work): every row exactly as it was, the new column empty.
    const { db } = openOutboxDatabase(file, options);
    expect(db.pragma('user_version', { simple: true })).toBe(currentSchemaVersion);
    expect(differingRows(db, seeded, recordsExactly)).toBe(0);
    expect(differingRows(db, seeded, payloadsNow, payloadsInSchema4)).toBe(0);
    expect(db.prepare('SELECT count(*) FROM record_payloads').pluck().get()).toBe(total - total / 20);
    expect(db.prepare('SELECT count(*) FROM records WHERE key_site IS NOT NULL').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM records WHERE compacted_at IS NOT NULL').pluck().get()).toBe(
      total / 20,
    );
    db.close();

    // A full start: leases of the old process are released, everything else stays.
    let now = seedStart + 1000;
    const outbox = Outbox.open(file, options, () => now);
    try {
      expect(differingRows(outbox.db, seeded, recordsAfterRestart)).toBe(0);
      expect(differingRows(outbox.db, seeded, payloadsNow, payloadsInSchema4)).toBe(0);
      expect(differingRows(outbox.db, seeded, eventsAll)).toBe(0);
      expect(differingRows(outbox.db, seeded, checkpointsAll)).toBe(0);
      expect(differingRows(outbox.db, seeded, auditAll)).toBe(0);
      expect(isCompacted(8) && outbox.timeline(9)?.events.map((e) => e.kind)).toEqual([
        'captured',
        'queued',
        'attempt',
        'delivered',
        'compacted',
      ]);
      expect(outbox.checkpoint('conn-a', 'lsn')).toBe('0/16B3748');
      expect(outbox.checkpoints('conn-b')).toEqual(new Map([['file', 'invoices-2024-01-15.csv:48213']]));
      const perConnection = { pending: total / 4, dead: total / 20 };
      for (const connection of ['conn-a', 'conn-b'])
        expect(outbox.counts(connection)).toMatchObject(perConnection);
      const deadTimeline = outbox.timeline(6);
      expect(deadTimeline?.record).toMatchObject({ idempotencyKey: 'key-5', state: 'dead', attempts: 5 });
      expect(deadTimeline?.events.map((e) => e.kind)).toEqual(['captured', 'queued', 'attempt', 'dead']);
      expect(outbox.timeline(7)?.record.receipt).toEqual({
        code: 'HTTP 201',
        serverId: 'srv-6',
        at: expect.any(Number),
      });

      // Drain both connections in batches: stored batches come back whole under their stored key.
      const expectedOpen = new Set<string>();
      const storedMembers = new Map<string, string[]>();
      for (let i = 0; i < total; i++) {
        const state = seededState(i);
        if (state !== 'pending' && state !== 'leased') continue;
        expectedOpen.add(`${i < total / 2 ? 'conn-a' : 'conn-b'}/key-${i}`);
        const batch = seededBatchKey(i);
        if (batch) storedMembers.set(batch, [...(storedMembers.get(batch) ?? []), `key-${i}`]);
      }
      const sent: string[] = [];
      const seenStored = new Set<string>();
      for (const connection of ['conn-a', 'conn-b']) {
        for (;;) {
          const lease = outbox.lease({ connection, max: 5000, maxBytes: 1e9, leaseMs: 60_000, batch: true });
          if (lease.records.length === 0) break;
          const keys = lease.records.map((r) => r.idempotencyKey);
          const stored = lease.batchKey ? storedMembers.get(lease.batchKey) : undefined;
          if (stored) {
            expect(keys).toEqual(stored);
            seenStored.add(lease.batchKey!);
          }
          sent.push(...keys.map((k) => `${connection}/${k}`));
          now += 10;
          outbox.settle(
            lease.token,
            lease.records.map((r) => ({
              id: r.id,
              kind: 'delivered' as const,
              receipt: { code: 'HTTP 201', at: now },
              latencyMs: 5,
            })),
          );
        }
      }
      expect(sent.length).toBe(expectedOpen.size);
      expect(new Set(sent)).toEqual(expectedOpen);
      expect(seenStored).toEqual(new Set(storedMembers.keys()));
      for (const connection of ['conn-a', 'conn-b'])
        expect(outbox.counts(connection)).toMatchObject({ pending: 0, dead: total / 20 });
      expect(outbox.db.prepare(`SELECT count(*) FROM records WHERE state = 'delivered'`).pluck().get()).toBe(
        total * 0.9,
      );
    } finally {
      outbox.close();
    }
  }, 120_000);

  it('SIGKILL at any moment of the migrations leaves a schema of one version (old, between or new), never a broken file', async () => {
    const calibration = await openInChild(copySeed('calibrate.db'));
    const openMs = Number(/opened (\d+)/.exec(calibration.output)?.[1]);
    expect(openMs, calibration.output).toBeGreaterThanOrEqual(0);
    const fractions = [0, 0.3, 0.6, 0.9, 1.2];
    const found: number[] = [];
    for (const [n, fraction] of fractions.entries()) {
      const file = copySeed(`killed-${n}.db`);
      const delay = Math.round(openMs * fraction + Math.random() * Math.max(1, openMs / 10));
      await openInChild(file, delay);

      const raw = new Database(file);
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
      const version = raw.pragma('user_version', { simple: true }) as number;
      found.push(version);
      // Each migration commits on its own: a kill between two leaves the earlier one applied, whole.
      expect(version).toBeGreaterThanOrEqual(4);
      expect(version).toBeLessThanOrEqual(currentSchemaVersion);
      expect(columnsOf(raw).includes('key_site')).toBe(version >= 5);
      expect(columnsOf(raw).includes('payload')).toBe(version < 6);
      raw.close();

      const outbox = Outbox.open(file, options, () => seedStart + 1000);
      try {
        expect(outbox.db.pragma('user_version', { simple: true })).toBe(currentSchemaVersion);
        expect(differingRows(outbox.db, seeded, recordsAfterRestart)).toBe(0);
        expect(differingRows(outbox.db, seeded, payloadsNow, payloadsInSchema4)).toBe(0);
        expect(differingRows(outbox.db, seeded, eventsAll)).toBe(0);
        expect(differingRows(outbox.db, seeded, checkpointsAll)).toBe(0);
      } finally {
        outbox.close();
      }
      fs.rmSync(file);
      for (const suffix of ['-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
    }
    console.log(`schema versions found after SIGKILL (open takes ~${openMs} ms): ${found.join(', ')}`);
  }, 120_000);
});
