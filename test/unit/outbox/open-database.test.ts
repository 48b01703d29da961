// Opening the outbox file: pragmas, quarantine of corrupt files, unusable data dirs, read-only views, size cap.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { currentSchemaVersion } from '../../../main/outbox/migrations/index.js';
import { describe, expect, it } from 'vitest';
import {
  damagedMarkerOf,
  outboxCacheSizeKiB,
  OutboxUnavailableError,
} from '../../../main/outbox/open-database.js';
import { Outbox } from '../../../main/outbox/outbox.js';
import {
  batch,
  bigLease,
  change,
  defaultOptions,
  delivered,
  outboxHarness,
  T0,
  testClock,
} from './outbox-fixture.js';

const h = outboxHarness();

function pragma(outbox: Outbox, name: string): unknown {
  return outbox.db.pragma(name, { simple: true });
}

describe('opening the outbox database', () => {
  it('a fresh file gets WAL, synchronous FULL, foreign keys, incremental auto-vacuum, the busy timeout and its cache size', () => {
    const outbox = h.open();
    expect(pragma(outbox, 'journal_mode')).toBe('wal');
    expect(pragma(outbox, 'synchronous')).toBe(2);
    expect(pragma(outbox, 'foreign_keys')).toBe(1);
    expect(pragma(outbox, 'auto_vacuum')).toBe(2);
    expect(pragma(outbox, 'busy_timeout')).toBe(1000);
    expect(pragma(outbox, 'cache_size')).toBe(-outboxCacheSizeKiB); // not the driver's 16 MB default
    expect(pragma(outbox, 'user_version')).toBe(currentSchemaVersion);
    expect(fs.existsSync(h.file())).toBe(true);
  });

  it('synchronous NORMAL when asked', () => {
    const outbox = h.open(h.file(), { ...defaultOptions, synchronous: 'NORMAL' });
    expect(pragma(outbox, 'synchronous')).toBe(1);
    expect(pragma(outbox, 'journal_mode')).toBe('wal');
  });

  it('creates missing parent directories', () => {
    const file = path.join(h.dir(), 'nested', 'data', 'outbox.db');
    const outbox = h.open(file);
    expect(outbox.enqueue('conn-a', batch([change('k1')])).inserted).toBe(1);
    expect(fs.existsSync(file)).toBe(true);
  });

  it('an empty (zero-byte) file left by an interrupted first start is treated as fresh', () => {
    fs.writeFileSync(h.file(), '');
    const outbox = h.open();
    expect(pragma(outbox, 'auto_vacuum')).toBe(2);
    expect(pragma(outbox, 'journal_mode')).toBe('wal');
    expect(outbox.quarantineNotices()).toEqual([]);
  });

  it('reopening keeps data, settings and does not quarantine a healthy file', () => {
    const clock = testClock();
    const first = h.open(h.file(), defaultOptions, clock);
    first.enqueue('conn-a', batch([change('k1')], [{ key: 'pos', value: '7' }]));
    first.close();
    const second = h.open(h.file(), defaultOptions, clock);
    expect(second.checkpoint('conn-a', 'pos')).toBe('7');
    expect(second.counts('conn-a').pending).toBe(1);
    expect(pragma(second, 'auto_vacuum')).toBe(2);
    expect(second.quarantineNotices()).toEqual([]);
    expect(fs.readdirSync(h.dir()).filter((n) => n.includes('corrupt'))).toEqual([]);
  });

  it('a file that is not SQLite is moved aside with its bytes preserved, and a fresh outbox works', () => {
    const file = h.file();
    let garbage = crypto.randomBytes(16 * 1024);
    garbage = Buffer.concat([Buffer.from('definitely not sqlite'), garbage]);
    fs.writeFileSync(file, garbage);
    const clock = testClock(T0);

    const outbox = h.open(file, defaultOptions, clock);
    const movedTo = `${file}.corrupt-${new Date(T0).toISOString().replace(/[:.]/g, '-')}`;
    expect(fs.existsSync(movedTo)).toBe(true);
    expect(fs.readFileSync(movedTo).equals(garbage)).toBe(true);

    const notices = outbox.quarantineNotices();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ movedTo, at: T0 });
    expect(notices[0]!.reason).toMatch(/not a database/i);

    // The fresh outbox is fully usable.
    expect(pragma(outbox, 'journal_mode')).toBe('wal');
    expect(outbox.enqueue('conn-a', batch([change('k1')])).inserted).toBe(1);
    const lease = outbox.lease({ connection: 'conn-a', ...bigLease });
    expect(lease.records.map((r) => r.idempotencyKey)).toEqual(['k1']);
    expect(outbox.settle(lease.token, [delivered(lease.records[0]!, clock())]).settled).toBe(1);

    // The notice survives a restart (it lives in the audit log) and a healthy reopen adds none.
    outbox.close();
    const again = h.open(file, defaultOptions, clock);
    expect(again.quarantineNotices()).toEqual(notices);
  });

  it('a SQLite file whose pages are damaged fails the integrity check and is quarantined', () => {
    const file = h.file();
    const clock = testClock(T0);
    const original = h.open(file, defaultOptions, clock);
    original.enqueue(
      'conn-a',
      batch(Array.from({ length: 200 }, (_, i) => change(`k${i}`, { payload: Buffer.alloc(300, i) }))),
    );
    original.close();
    const bytes = fs.readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    expect(bytes.length).toBeGreaterThan(4 * pageSize);
    // Keep page 1 (header + schema) and scribble a fixed pattern over everything after it.
    for (let i = pageSize; i < bytes.length; i++) bytes[i] = (i * 31 + 7) & 0xff;
    fs.writeFileSync(file, bytes);

    clock.advance(1000);
    const outbox = h.open(file, defaultOptions, clock);
    const notices = outbox.quarantineNotices();
    expect(notices).toHaveLength(1);
    expect(notices[0]!.movedTo).toBe(
      `${file}.corrupt-${new Date(T0 + 1000).toISOString().replace(/[:.]/g, '-')}`,
    );
    expect(fs.readFileSync(notices[0]!.movedTo).equals(bytes)).toBe(true);
    expect(outbox.counts('conn-a').pending).toBe(0);
    expect(outbox.enqueue('conn-a', batch([change('k1')])).inserted).toBe(1);
  });

  it('a big file is checked after open, on a worker: damage found is recorded and marked, and the next open sets the file aside', async () => {
    const file = h.file();
    const clock = testClock(T0);
    const original = h.open(file, defaultOptions, clock);
    original.enqueue(
      'conn-a',
      batch(Array.from({ length: 50 }, (_, i) => change(`k${i}`, { businessKey: `order-${i}` }))),
    );
    const indexPage = original.db
      .prepare(`SELECT rootpage FROM sqlite_master WHERE name = 'records_by_business_key'`)
      .pluck()
      .get() as number;
    original.close();
    // Damage only the business-key index: nothing on the way to "running" reads it, quick_check does.
    const bytes = fs.readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    bytes.fill(0x5a, (indexPage - 1) * pageSize, indexPage * pageSize);
    fs.writeFileSync(file, bytes);

    const deferred = { ...defaultOptions, inlineCheckMaxBytes: 0 }; // any file counts as big
    clock.advance(1000);
    const running = h.open(file, deferred, clock);
    expect(running.counts('conn-a').pending).toBe(50); // open did not wait for the check
    const outcome = await running.integrityCheck;
    expect(outcome?.kind).toBe('damaged');
    expect(running.audit.recent('outbox.damaged')).toHaveLength(1);
    expect(fs.existsSync(damagedMarkerOf(file))).toBe(true);
    running.close();

    clock.advance(1000);
    const next = h.open(file, deferred, clock);
    expect(next.integrityCheck).toBeUndefined(); // a marked file is checked before use
    const notices = next.quarantineNotices();
    expect(notices).toHaveLength(1);
    expect(notices[0]!.reason).toMatch(/integrity check failed/);
    expect(fs.existsSync(notices[0]!.movedTo)).toBe(true);
    expect(fs.existsSync(damagedMarkerOf(file))).toBe(false);
    expect(next.counts('conn-a').pending).toBe(0);
  });

  it('a healthy big file passes the check after open and is not marked', async () => {
    const file = h.file();
    const first = h.open(file);
    first.enqueue('conn-a', batch([change('k1')]));
    first.close();
    const outbox = h.open(file, { ...defaultOptions, inlineCheckMaxBytes: 0 });
    expect(await outbox.integrityCheck).toEqual({ kind: 'healthy' });
    expect(outbox.audit.recent('outbox.damaged')).toEqual([]);
    expect(fs.existsSync(damagedMarkerOf(file))).toBe(false);
  });

  it('when the worker cannot run the check, it runs on the outbox connection instead', async () => {
    const file = h.file();
    const first = h.open(file);
    first.enqueue('conn-a', batch([change('k1')]));
    first.close();
    const outbox = h.open(file, { ...defaultOptions, inlineCheckMaxBytes: 0 });
    fs.renameSync(file, `${file}.elsewhere`); // the worker's own connection finds no file; the open one still reads it
    expect(await outbox.integrityCheck).toEqual({ kind: 'healthy' });
  });

  it('a big file too damaged to open is marked and set aside at once (no crash loop)', () => {
    const file = h.file();
    const clock = testClock(T0);
    const original = h.open(file, defaultOptions, clock);
    original.enqueue(
      'conn-a',
      batch(Array.from({ length: 200 }, (_, i) => change(`k${i}`, { payload: Buffer.alloc(300, i) }))),
    );
    original.close();
    const bytes = fs.readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    for (let i = pageSize; i < bytes.length; i++) bytes[i] = (i * 31 + 7) & 0xff;
    fs.writeFileSync(file, bytes);

    const outbox = h.open(file, { ...defaultOptions, inlineCheckMaxBytes: 0 }, clock);
    expect(outbox.quarantineNotices()).toHaveLength(1);
    expect(fs.existsSync(damagedMarkerOf(file))).toBe(false);
    expect(outbox.enqueue('conn-a', batch([change('k1')])).inserted).toBe(1);
  });

  it('a data directory path that is really a file gives a clear OutboxUnavailableError', () => {
    const notADir = path.join(h.dir(), 'afile');
    fs.writeFileSync(notADir, 'just a file');
    for (const file of [path.join(notADir, 'outbox.db'), path.join(notADir, 'deeper', 'outbox.db')]) {
      let error: unknown;
      try {
        Outbox.open(file, defaultOptions, testClock());
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(OutboxUnavailableError);
      const message = (error as Error).message;
      expect(message).toContain(file);
      expect(message).toMatch(/not a directory/);
      expect(message).toMatch(/Fix:/);
    }
    expect(fs.readFileSync(notADir, 'utf8')).toBe('just a file');
  });

  it('a read-only view reads an outbox without writing to it (orphaned leases stay as they are)', () => {
    const clock = testClock();
    const writer = h.open(h.file(), defaultOptions, clock);
    writer.enqueue(
      'conn-a',
      batch([change('k1'), change('k2', { orderingKey: 'key-2' })], [{ key: 'pos', value: '2' }]),
    );
    const lease = writer.lease({ connection: 'conn-a', ...bigLease, max: 1 });
    expect(lease.records).toHaveLength(1);

    const reader = h.open(h.file(), { ...defaultOptions, readonly: true }, clock);
    expect(reader.counts('conn-a')).toEqual(writer.counts('conn-a'));
    expect(reader.checkpoint('conn-a', 'pos')).toBe('2');
    expect(reader.timeline(lease.records[0]!.id)!.record.state).toBe('leased');
    expect(() => reader.enqueue('conn-a', batch([change('k3')]))).toThrow(/readonly/);

    // The writer's lease was not voided by the reader.
    expect(writer.settle(lease.token, [delivered(lease.records[0]!, clock())])).toMatchObject({
      settled: 1,
      stale: [],
    });
  });

  it('a read-only view of a missing file fails instead of creating one', () => {
    expect(() =>
      Outbox.open(h.file('missing.db'), { ...defaultOptions, readonly: true }, testClock()),
    ).toThrow();
    expect(fs.existsSync(h.file('missing.db'))).toBe(false);
  });

  describe('maxDatabaseBytes', () => {
    it('enqueue past the cap throws SQLITE_FULL; committed records and checkpoints stay, the checkpoint is not advanced', () => {
      const clock = testClock();
      const outbox = h.open(h.file(), { ...defaultOptions, maxDatabaseBytes: 64 * 1024 }, clock);
      for (let i = 0; i < 3; i++) {
        outbox.enqueue(
          'conn-a',
          batch(
            [change(`small-${i}`, { payload: Buffer.from(`p${i}`) })],
            [{ key: 'pos', value: String(i) }],
          ),
        );
      }
      const before = outbox.counts('conn-a');
      let error: unknown;
      try {
        outbox.enqueue(
          'conn-a',
          batch(
            [
              change('big-1', { payload: Buffer.alloc(8 * 1024, 1) }),
              change('big-2', { payload: Buffer.alloc(200 * 1024, 2) }),
            ],
            [{ key: 'pos', value: '99' }],
          ),
        );
      } catch (e) {
        error = e;
      }
      expect(error).toBeDefined();
      expect((error as { code?: string }).code).toBe('SQLITE_FULL');

      expect(outbox.checkpoint('conn-a', 'pos')).toBe('2');
      expect(outbox.counts('conn-a')).toEqual(before);
      expect(outbox.search({ idempotencyKey: 'big-1', limit: 5 })).toEqual([]);
      const lease = outbox.lease({ connection: 'conn-a', ...bigLease });
      expect(lease.records.map((r) => r.idempotencyKey)).toEqual(['small-0']);
      expect(lease.records[0]!.payload.toString()).toBe('p0');

      outbox.close();
      const reopened = h.open(h.file(), defaultOptions, clock);
      expect(reopened.db.pragma('quick_check', { simple: true })).toBe('ok');
      expect(reopened.checkpoint('conn-a', 'pos')).toBe('2');
      expect(reopened.counts('conn-a')).toEqual(before);
    });

    it('the outbox can still drain when full, and takes new records once retention freed space', () => {
      const clock = testClock();
      const outbox = h.open(h.file(), { ...defaultOptions, maxDatabaseBytes: 256 * 1024 }, clock);
      let stored = 0;
      let full = false;
      for (let i = 0; i < 100 && !full; i++) {
        try {
          outbox.enqueue(
            'conn-a',
            batch([change(`k${i}`, { orderingKey: `o${i}`, payload: Buffer.alloc(10 * 1024, i) })]),
          );
          stored += 1;
        } catch (e) {
          expect((e as { code?: string }).code).toBe('SQLITE_FULL');
          full = true;
        }
      }
      expect(full).toBe(true);
      expect(stored).toBeGreaterThan(3);
      expect(outbox.counts('conn-a').pending).toBe(stored);

      const lease = outbox.lease({ connection: 'conn-a', ...bigLease });
      expect(lease.records).toHaveLength(stored);
      expect(
        outbox.settle(
          lease.token,
          lease.records.map((r) => delivered(r, clock())),
        ).settled,
      ).toBe(stored);
      expect(outbox.counts('conn-a')).toEqual({ pending: 0, pendingBytes: 0, dead: 0 });

      clock.advance(10_000);
      expect(outbox.applyRetention({ compactAfterMs: 1000, removeAfterMs: 5000, chunk: 100 }).removed).toBe(
        stored,
      );
      expect(
        outbox.enqueue('conn-a', batch([change('after', { payload: Buffer.alloc(10 * 1024, 7) })])).inserted,
      ).toBe(1);
    });
  });
});
