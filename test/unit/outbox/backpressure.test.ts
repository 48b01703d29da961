// Backpressure: pause at the row cap, byte cap or disk floor with a plain-words reason; resume only below 90%.
import { statfsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  defaultDiskFloor,
  diskFloorFor,
  evaluateBackpressure,
  freeDiskBytes,
  type BackpressureLimits,
  type BackpressureState,
} from '../../../main/outbox/backpressure.js';
import type { ConnectionCounts } from '../../../main/outbox/counters.js';
import { batch, change, outboxHarness } from './outbox-fixture.js';

const MB = 1024 * 1024;
const limits: BackpressureLimits = {
  maxPendingRecords: 1000,
  maxPendingBytes: 100 * MB,
  minFreeDiskBytes: 500 * MB,
};
const running: BackpressureState = { paused: false };
const plenty = 10_000 * MB;

function totals(pending: number, pendingBytes = 0): ConnectionCounts {
  return { pending, pendingBytes, dead: 0 };
}

function expectPlainWords(state: BackpressureState) {
  expect(state.paused).toBe(true);
  expect(state.reason).toBeTypeOf('string');
  expect(state.reason).not.toMatch(/undefined|NaN|null|\[object/);
}

describe('evaluateBackpressure', () => {
  it('runs while under every cap', () => {
    expect(evaluateBackpressure(totals(999, 100 * MB - 1), limits.minFreeDiskBytes, limits, running)).toEqual(
      { paused: false },
    );
    expect(evaluateBackpressure(totals(0), plenty, limits, running)).toEqual({ paused: false });
  });

  it('pauses at the row cap and says so', () => {
    const state = evaluateBackpressure(totals(1000), plenty, limits, running);
    expectPlainWords(state);
    expect(state.reason).toContain('1000 undelivered records');
    expect(state.reason).toContain('cap 1000');
    expect(state.reason).toMatch(/resumes/);
  });

  it('pauses at the byte cap and says so in MB', () => {
    const state = evaluateBackpressure(totals(5, 100 * MB), plenty, limits, running);
    expectPlainWords(state);
    expect(state.reason).toContain('100.0 MB undelivered');
    expect(state.reason).toContain('cap 100.0 MB');
  });

  it('pauses under the disk floor and says to free space', () => {
    const state = evaluateBackpressure(totals(0), 499 * MB, limits, running);
    expectPlainWords(state);
    expect(state.reason).toContain('499.0 MB free');
    expect(state.reason).toContain('floor 500.0 MB');
    expect(state.reason).toMatch(/free space/);
    expect(evaluateBackpressure(totals(0), 500 * MB, limits, running)).toEqual({ paused: false });
  });

  it('resumes from the row cap only below 90%', () => {
    const paused = evaluateBackpressure(totals(1200), plenty, limits, running);
    expect(paused.paused).toBe(true);
    expect(evaluateBackpressure(totals(950), plenty, limits, paused).paused).toBe(true);
    expect(evaluateBackpressure(totals(900), plenty, limits, paused).paused).toBe(true);
    expect(evaluateBackpressure(totals(899), plenty, limits, paused)).toEqual({ paused: false });
    // Without a previous pause, 950 is fine: no flapping in either direction.
    expect(evaluateBackpressure(totals(950), plenty, limits, running)).toEqual({ paused: false });
  });

  it('resumes from the byte cap only below 90%', () => {
    const paused = evaluateBackpressure(totals(1, 100 * MB), plenty, limits, running);
    expect(evaluateBackpressure(totals(1, 95 * MB), plenty, limits, paused).paused).toBe(true);
    expect(evaluateBackpressure(totals(1, 90 * MB), plenty, limits, paused).paused).toBe(true);
    expect(evaluateBackpressure(totals(1, 90 * MB - 1), plenty, limits, paused)).toEqual({ paused: false });
  });

  it('resumes from the disk floor only with 10% to spare', () => {
    const paused = evaluateBackpressure(totals(0), 400 * MB, limits, running);
    expect(paused.paused).toBe(true);
    expect(evaluateBackpressure(totals(0), 520 * MB, limits, paused).paused).toBe(true);
    expect(evaluateBackpressure(totals(0), Math.ceil((500 * MB) / 0.9), limits, paused)).toEqual({
      paused: false,
    });
  });

  it('stays paused, with the new reason, when the cause changes while paused', () => {
    const byRows = evaluateBackpressure(totals(1000), plenty, limits, running);
    const byDisk = evaluateBackpressure(totals(10), 100 * MB, limits, byRows);
    expectPlainWords(byDisk);
    expect(byDisk.reason).toMatch(/free on the data disk/);
  });

  it('treats a cap of zero free-disk floor as no floor', () => {
    expect(evaluateBackpressure(totals(0), 0, { ...limits, minFreeDiskBytes: 0 }, running)).toEqual({
      paused: false,
    });
  });
});

describe('freeDiskBytes', () => {
  it('returns a positive whole number of bytes for the temp dir', () => {
    const free = freeDiskBytes(os.tmpdir());
    expect(free).toBeGreaterThan(0);
    expect(Number.isSafeInteger(free)).toBe(true);
  });

  it('throws for a directory that does not exist', () => {
    expect(() => freeDiskBytes(path.join(os.tmpdir(), 'no-such-dir-for-outbox-tests', 'x'))).toThrow(
      /ENOENT/,
    );
  });
});

describe('backpressure from live outbox totals', () => {
  const h = outboxHarness();

  it('pauses once enqueued records reach the cap and resumes as delivery drains them', () => {
    const outbox = h.open();
    const small: BackpressureLimits = { maxPendingRecords: 10, maxPendingBytes: 1 * MB, minFreeDiskBytes: 0 };
    let state: BackpressureState = running;
    outbox.enqueue(
      'conn-a',
      batch(Array.from({ length: 9 }, (_, i) => change(`a${i}`, { orderingKey: `o${i}` }))),
    );
    state = evaluateBackpressure(outbox.counters.totals(), freeDiskBytes(h.dir()), small, state);
    expect(state.paused).toBe(false);
    outbox.enqueue('conn-b', batch([change('b0')]));
    state = evaluateBackpressure(outbox.counters.totals(), freeDiskBytes(h.dir()), small, state);
    expect(state).toMatchObject({ paused: true });
    expect(state.reason).toContain('10 undelivered records');

    const lease = outbox.lease({ connection: 'conn-a', max: 1, maxBytes: MB, leaseMs: 1000 });
    outbox.settle(
      lease.token,
      lease.records.map((r) => ({
        id: r.id,
        kind: 'delivered' as const,
        receipt: { code: 'HTTP 200', at: 0 },
        latencyMs: 1,
      })),
    );
    state = evaluateBackpressure(outbox.counters.totals(), freeDiskBytes(h.dir()), small, state);
    expect(state.paused).toBe(true); // 9 of 10: not yet below 90%
    const more = outbox.lease({ connection: 'conn-a', max: 1, maxBytes: MB, leaseMs: 1000 });
    outbox.settle(
      more.token,
      more.records.map((r) => ({
        id: r.id,
        kind: 'delivered' as const,
        receipt: { code: 'HTTP 200', at: 0 },
        latencyMs: 1,
      })),
    );
    state = evaluateBackpressure(outbox.counters.totals(), freeDiskBytes(h.dir()), small, state);
    expect(state).toEqual({ paused: false });
  });
});

describe('the default free-disk floor', () => {
  const MiB = MB;
  it('is 5 % of the disk, within 32 MiB and 512 MiB, and never more than a quarter of a small disk', () => {
    expect(defaultDiskFloor(100 * 1024 * MiB)).toBe(512 * MiB); // 100 GiB disk: the cap
    expect(defaultDiskFloor(2 * 1024 * MiB)).toBe(Math.round(2 * 1024 * MiB * 0.05)); // 2 GiB: 5 %
    expect(defaultDiskFloor(200 * MiB)).toBe(32 * MiB); // the minimum
    expect(defaultDiskFloor(48 * MiB)).toBe(12 * MiB); // a 48 MB disk: a quarter, so capture can start
  });

  it('names a configured floor that the whole data disk can never meet, and keeps it', () => {
    const dir = os.tmpdir();
    const disk = statfsSync(dir).blocks * statfsSync(dir).bsize;
    expect(diskFloorFor(dir, disk + 1)).toMatchObject({
      floor: disk + 1,
      warning: expect.stringContaining('could never run'),
    });
    expect(diskFloorFor(dir, 1024).warning).toBeUndefined();
    expect(diskFloorFor(dir, undefined).floor).toBe(defaultDiskFloor(disk));
  });
});
