// The throughput charts filled from the outbox at start: in steps over many chunks, only the window, nothing twice.
import { describe, expect, it } from 'vitest';
import { seedThroughput } from '../../../main/observability/outbox-activity.js';
import { ThroughputHistory } from '../../../main/observability/throughput-history.js';
import { batch, change, outboxHarness, T0, testClock } from '../outbox/outbox-fixture.js';

const h = outboxHarness();
const minute = 60_000;

function totals(history: ThroughputHistory, now: number) {
  return history
    .series(now)
    .flatMap((s) => s.minutes)
    .reduce((sum, m) => ({ captured: sum.captured + m.captured, delivered: sum.delivered + m.delivered }), {
      captured: 0,
      delivered: 0,
    });
}

function enqueueMany(outbox: ReturnType<typeof h.open>, connection: string, from: number, count: number) {
  for (let i = from; i < from + count; i += 5000)
    outbox.enqueue(
      connection,
      batch(
        Array.from({ length: Math.min(5000, from + count - i) }, (_, j) => change(`${connection}-${i + j}`)),
      ),
    );
}

describe('seeding the throughput history from the outbox', () => {
  it('counts every record captured within the hour across chunks, per minute and connection, and none older', async () => {
    const clock = testClock(T0 - 2 * 60 * minute);
    const outbox = h.open(h.file(), undefined, clock);
    enqueueMany(outbox, 'a', 0, 3000); // two hours ago: outside the window
    clock.advance(90 * minute);
    enqueueMany(outbox, 'a', 3000, 25_000); // 30 minutes ago
    clock.advance(10 * minute);
    enqueueMany(outbox, 'b', 0, 20_000); // 20 minutes ago
    const now = T0;
    const history = new ThroughputHistory(60, () => now);
    await seedThroughput(history, outbox.db, ['a', 'b'], now);
    const [a, b] = history.series(now);
    expect(a?.connection).toBe('a');
    expect(a?.minutes.reduce((n, m) => n + m.captured, 0)).toBe(25_000);
    expect(b?.minutes.reduce((n, m) => n + m.captured, 0)).toBe(20_000);
    expect(a?.minutes.find((m) => m.captured > 0)?.at).toBe(Math.floor((T0 - 30 * minute) / minute) * minute);
    expect(totals(history, now)).toEqual({ captured: 45_000, delivered: 0 });
  });

  it('stops when told to (the agent stopping) and leaves what it counted so far', async () => {
    const clock = testClock(T0 - 10 * minute);
    const outbox = h.open(h.file(), undefined, clock);
    enqueueMany(outbox, 'a', 0, 45_000);
    const history = new ThroughputHistory(60, () => T0);
    let steps = 0;
    await seedThroughput(history, outbox.db, ['a'], T0, { stopped: () => ++steps > 1 });
    const captured = totals(history, T0).captured;
    expect(captured).toBeGreaterThan(0);
    expect(captured).toBeLessThan(45_000);
  });
});

describe('the seeding statements', () => {
  it('search indexes, never scan the records table (a million records must not hold up the first minute)', async () => {
    const outbox = h.open(h.file());
    enqueueMany(outbox, 'a', 0, 10);
    const statements: string[] = [];
    const db = new Proxy(outbox.db, {
      get(target, key) {
        if (key !== 'prepare') return Reflect.get(target, key) as unknown;
        return (sql: string) => {
          statements.push(sql);
          return target.prepare(sql);
        };
      },
    });
    await seedThroughput(new ThroughputHistory(60, () => T0), db, ['a'], T0);
    expect(statements.length).toBeGreaterThanOrEqual(3);
    for (const sql of statements) {
      const plan = outbox.db
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all({ since: 0, now: 1, low: 0, high: 1, connection: 'a' }) as { detail: string }[];
      expect(
        plan.filter((step) => /^SCAN records\b/.test(step.detail)),
        sql,
      ).toEqual([]);
    }
  });
});
