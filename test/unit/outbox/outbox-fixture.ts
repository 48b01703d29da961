// Shared helpers for the outbox unit tests: outbox files in a temp dir, a hand-driven clock, change builders.
import path from 'node:path';
import type { CapturedChange, ChangeBatch, CheckpointUpdate } from '../../../connectors/core/change.js';
import type { OutgoingRecord } from '../../../connectors/core/destination.js';
import type { OpenOptions } from '../../../main/outbox/open-database.js';
import { Outbox } from '../../../main/outbox/outbox.js';
import { useTempDir } from '../../support/temp-dir.js';

export const defaultOptions: OpenOptions = { synchronous: 'FULL', busyTimeoutMs: 1000 };

/** A fixed, realistic start time (ms since epoch) so timestamps in assertions are predictable. */
export const T0 = Date.UTC(2024, 0, 15, 9, 0, 0);

export interface TestClock {
  (): number;
  now: number;
  advance(ms: number): number;
}

export function testClock(start = T0): TestClock {
  const clock = (() => clock.now) as TestClock;
  clock.now = start;
  clock.advance = (ms: number) => (clock.now += ms);
  return clock;
}

export function change(idempotencyKey: string, overrides: Partial<CapturedChange> = {}): CapturedChange {
  return {
    idempotencyKey,
    orderingKey: 'key-1',
    contentType: 'application/json',
    payload: Buffer.from(JSON.stringify({ idempotencyKey })),
    ...overrides,
  };
}

export function batch(changes: CapturedChange[], checkpoints: CheckpointUpdate[] = []): ChangeBatch {
  return { changes, checkpoints };
}

/** Opens outboxes in a per-test temp dir and closes every one of them before the dir is removed. */
export function outboxHarness() {
  const opened: Outbox[] = [];
  const tempDir = useTempDir({
    beforeRemove: () => {
      for (const outbox of opened.splice(0)) outbox.close();
    },
  });
  return {
    dir: tempDir,
    file: (name = 'outbox.db') => path.join(tempDir(), name),
    open(
      file = path.join(tempDir(), 'outbox.db'),
      options: OpenOptions = defaultOptions,
      clock: () => number = testClock(),
    ) {
      const outbox = Outbox.open(file, options, clock);
      opened.push(outbox);
      return outbox;
    },
    /** A fresh outbox in this test's directory with its own controllable clock. */
    setup() {
      const clock = testClock();
      const outbox = Outbox.open(path.join(tempDir(), 'outbox.db'), defaultOptions, clock);
      opened.push(outbox);
      return { clock, outbox };
    },
  };
}

export const bigLease = { max: 10_000, maxBytes: Number.MAX_SAFE_INTEGER, leaseMs: 60_000 };

export function leaseKeys(outbox: Outbox, connection = 'conn-a', overrides: Partial<typeof bigLease> = {}) {
  const lease = outbox.lease({ connection, ...bigLease, ...overrides });
  return { ...lease, keys: lease.records.map((r) => r.idempotencyKey) };
}

export function delivered(record: OutgoingRecord, at: number, serverId = `srv-${record.id}`) {
  return {
    id: record.id,
    kind: 'delivered' as const,
    receipt: { code: 'HTTP 201', serverId, at },
    latencyMs: 12,
  };
}

export function retry(id: number, retryAt: number, error = 'HTTP 503', status = 503) {
  return { id, kind: 'retry' as const, retryAt, error, status, latencyMs: 30 };
}

/** Raw state of one record, straight from the table. */
export function rowOf(outbox: Outbox, id: number) {
  return outbox.db
    .prepare(
      'SELECT records.*, payload FROM records LEFT JOIN record_payloads ON record_id = id WHERE id = ?',
    )
    .get(id) as
    | {
        id: number;
        state: string;
        blocked: number;
        attempts: number;
        next_attempt_at: number;
        lease_token: string | null;
        lease_expires_at: number | null;
        last_error: string | null;
        payload: Buffer | null;
        receipt: string | null;
        settled_at: number | null;
      }
    | undefined;
}

export function idOf(outbox: Outbox, idempotencyKey: string, connection = 'conn-a'): number {
  const id = outbox.db
    .prepare('SELECT id FROM records WHERE connection = ? AND idempotency_key = ?')
    .pluck()
    .get(connection, idempotencyKey) as number | undefined;
  if (id === undefined) throw new Error(`no record ${connection}/${idempotencyKey}`);
  return id;
}
