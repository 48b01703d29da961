// Phase 2: lease (max 500, 10 MB) + settle-as-delivered throughput until the outbox of phase 1 is empty.
import type { Outbox } from '../../main/outbox/outbox.js';
import type { BenchContext } from './bench-context.js';
import { distribution, nowMs, yieldToEventLoop, type Distribution } from './measure.js';
import { CONNECTION, LEASE_MAX, deliveredSettlements, expectEqual, leaseRequest } from './outbox-driver.js';

export interface DrainFigures {
  records: number;
  rate: number;
  totalMs: number;
  leaseCalls: number;
  shortLeases: number;
  leaseMs: Distribution;
  settleMs: Distribution;
}

export async function runDrainPhase(
  ctx: BenchContext,
  outbox: Outbox,
  expected: number,
): Promise<DrainFigures> {
  const leaseTimes: number[] = [];
  const settleTimes: number[] = [];
  let totalMs = 0;
  let records = 0;
  let shortLeases = 0;
  for (let call = 1; ; call++) {
    const t0 = nowMs();
    const lease = outbox.lease(leaseRequest);
    const t1 = nowMs();
    if (lease.records.length === 0) {
      totalMs += t1 - t0; // the final, empty lease is part of "until the queue is empty"
      leaseTimes.push(t1 - t0);
      break;
    }
    const settlements = deliveredSettlements(lease, Date.now());
    const t2 = nowMs();
    const result = outbox.settle(lease.token, settlements);
    const t3 = nowMs();
    totalMs += t3 - t0;
    leaseTimes.push(t1 - t0);
    settleTimes.push(t3 - t2);
    records += lease.records.length;
    if (lease.records.length < LEASE_MAX) shortLeases += 1;
    expectEqual('settled records', result.settled, lease.records.length);
    if (call % 20 === 0) {
      ctx.rss.sample();
      await yieldToEventLoop();
    }
  }
  expectEqual('records leased and settled', records, expected);
  expectEqual('pending after drain', outbox.counts(CONNECTION).pending, 0);
  return {
    records,
    rate: records / (totalMs / 1000),
    totalMs,
    leaseCalls: leaseTimes.length,
    shortLeases,
    leaseMs: distribution(leaseTimes),
    settleMs: distribution(settleTimes),
  };
}
