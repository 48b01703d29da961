// Phase 3: lease latency with a small and a large pending backlog, measured interleaved at a constant backlog.
import { join } from 'node:path';
import type { Outbox } from '../../main/outbox/outbox.js';
import type { BenchContext } from './bench-context.js';
import { ChangeFactory } from './change-factory.js';
import { distribution, nowMs, yieldToEventLoop, type Distribution } from './measure.js';
import { measureOpenCost, type OpenCost } from './open-cost.js';
import {
  CONNECTION,
  LEASE_MAX,
  deliveredSettlements,
  enqueueBatch,
  expectEqual,
  leaseRequest,
  openBenchOutbox,
} from './outbox-driver.js';
import { leasePlanVerdict, outboxPlans, type PlanReport } from './query-plans.js';
import { databaseBytes } from './temp-area.js';

/** Same shape at both sizes: round-robin ordering keys, 10 open records per key, so only the size differs. */
export const RECORDS_PER_KEY = 10;
const BUILD_BATCH = 10_000;
const WARMUP_CYCLES = 20;
/** The two cases alternate every block of this many measured calls, so drift hits both alike. */
const BLOCK = 10;

export interface LatencyCase {
  label: string;
  pending: number;
  orderingKeys: number;
  readyHeads: number;
  fileBytes: number;
  buildRate: number;
  buildMs: number;
  pendingSeen: { min: number; max: number };
  shortLeases: number;
  leaseMs: Distribution;
  settleMs: Distribution;
  /** Records leased and settled per second of lease + settle time over the measured calls (the backlog refilled). */
  drainRate: number;
  open: OpenCost;
}

export interface LatencyFigures {
  small: LatencyCase;
  large: LatencyCase;
  medianRatio: number;
  p99Ratio: number;
  /** Drain rate with the large backlog waiting / with the small one. */
  drainRatio: number;
  plans: PlanReport[];
  planVerdict: string;
}

interface LiveCase {
  label: string;
  name: string;
  file: string;
  pending: number;
  outbox: Outbox;
  close: () => void;
  factory: ChangeFactory;
  buildEnqueueMs: number;
  buildMs: number;
  lease: number[];
  settle: number[];
  pendingSeen: { min: number; max: number };
  shortLeases: number;
  drained: number;
}

async function build(ctx: BenchContext, name: string, label: string, pending: number): Promise<LiveCase> {
  const file = join(ctx.area.dir(name), 'outbox.db');
  const outbox = openBenchOutbox(file);
  const close = ctx.area.track(() => outbox.close());
  const orderingKeys = Math.max(1, Math.ceil(pending / RECORDS_PER_KEY));
  const factory = new ChangeFactory({ orderingKeys, keyStyle: ctx.options.keyStyle });
  const started = nowMs();
  let buildEnqueueMs = 0;
  while (factory.produced < pending) {
    const changes = factory.batch(Math.min(BUILD_BATCH, pending - factory.produced));
    const t0 = nowMs();
    const { inserted } = enqueueBatch(outbox, changes, factory.produced - 1);
    buildEnqueueMs += nowMs() - t0;
    expectEqual(`${label}: inserted per build batch`, inserted, changes.length);
    ctx.rss.sample();
    await yieldToEventLoop();
  }
  expectEqual(`${label}: pending after build`, outbox.counts(CONNECTION).pending, pending);
  const buildMs = nowMs() - started;
  const seen = { min: Number.POSITIVE_INFINITY, max: 0 };
  return {
    label,
    name,
    file,
    pending,
    outbox,
    close,
    factory,
    buildEnqueueMs,
    buildMs,
    lease: [],
    settle: [],
    pendingSeen: seen,
    shortLeases: 0,
    drained: 0,
  };
}

/**
 * One dispatcher cycle: lease 500 heads (timed), settle them delivered (timed separately) so the next call finds fresh
 * heads, then enqueue as many new records (untimed) so every call sees exactly `pending` open records.
 */
function cycle(c: LiveCase, measured: boolean): void {
  const before = c.outbox.counts(CONNECTION).pending;
  const t0 = nowMs();
  const lease = c.outbox.lease(leaseRequest);
  const t1 = nowMs();
  const settlements = deliveredSettlements(lease, Date.now());
  const t2 = nowMs();
  const { settled } = c.outbox.settle(lease.token, settlements);
  const t3 = nowMs();
  expectEqual(`${c.label}: settled`, settled, lease.records.length);
  const refill = c.factory.batch(lease.records.length);
  if (refill.length > 0) enqueueBatch(c.outbox, refill, c.factory.produced - 1);
  if (!measured) return;
  c.lease.push(t1 - t0);
  c.settle.push(t3 - t2);
  c.drained += settled;
  c.pendingSeen.min = Math.min(c.pendingSeen.min, before);
  c.pendingSeen.max = Math.max(c.pendingSeen.max, before);
  if (lease.records.length < LEASE_MAX) c.shortLeases += 1;
}

async function measureInterleaved(
  ctx: BenchContext,
  cases: [LiveCase, LiveCase],
  samples: number,
): Promise<void> {
  for (let i = 0; i < WARMUP_CYCLES; i++) {
    for (const c of cases) cycle(c, false);
  }
  await yieldToEventLoop();
  for (let round = 0; cases.some((c) => c.lease.length < samples); round++) {
    const order = round % 2 === 0 ? cases : ([cases[1], cases[0]] as const);
    for (const c of order) {
      const n = Math.min(BLOCK, samples - c.lease.length);
      for (let k = 0; k < n; k++) cycle(c, true);
      ctx.rss.sample();
      await yieldToEventLoop();
    }
  }
}

function readyHeads(outbox: Outbox): number {
  return outbox.db
    .prepare(`SELECT count(*) FROM records WHERE connection = ? AND state = 'pending' AND blocked = 0`)
    .pluck()
    .get(CONNECTION) as number;
}

function finish(c: LiveCase, open: OpenCost, fileBytes: number, heads: number): LatencyCase {
  return {
    label: c.label,
    pending: c.pending,
    orderingKeys: Math.ceil(c.pending / RECORDS_PER_KEY),
    readyHeads: heads,
    fileBytes,
    buildRate: c.pending / (c.buildEnqueueMs / 1000),
    buildMs: c.buildMs,
    pendingSeen: c.pendingSeen,
    shortLeases: c.shortLeases,
    leaseMs: distribution(c.lease),
    settleMs: distribution(c.settle),
    drainRate: c.drained / ([...c.lease, ...c.settle].reduce((a, b) => a + b, 0) / 1000),
    open,
  };
}

export async function runLeaseLatencyPhase(ctx: BenchContext): Promise<LatencyFigures> {
  const { smallPending, largePending, samples } = ctx.options;
  ctx.log(`  building ${smallPending.toLocaleString('en-US')} pending records…`);
  const small = await build(ctx, 'lease-small', 'small', smallPending);
  ctx.log(
    `  building ${largePending.toLocaleString('en-US')} pending records (batches of ${BUILD_BATCH.toLocaleString('en-US')})…`,
  );
  const large = await build(ctx, 'lease-large', 'large', largePending);
  ctx.log(`  measuring ${samples} lease calls per case, interleaved in blocks of ${BLOCK}…`);
  await measureInterleaved(ctx, [small, large], samples);

  const plans = outboxPlans(large.outbox);
  const ready = plans.find((p) => p.name.startsWith('lease: select'))?.plan ?? [];
  const heads = [readyHeads(small.outbox), readyHeads(large.outbox)] as const;
  const bytes = [databaseBytes(small.file), databaseBytes(large.file)] as const;
  small.close();
  large.close();
  ctx.log('  measuring Outbox.open on both files…');
  const opens = [measureOpenCost(small.file), measureOpenCost(large.file)] as const;
  ctx.area.remove(small.name);
  ctx.area.remove(large.name);

  const smallFigures = finish(small, opens[0], bytes[0], heads[0]);
  const largeFigures = finish(large, opens[1], bytes[1], heads[1]);
  return {
    small: smallFigures,
    large: largeFigures,
    medianRatio: largeFigures.leaseMs.median / smallFigures.leaseMs.median,
    p99Ratio: largeFigures.leaseMs.p99 / smallFigures.leaseMs.p99,
    drainRatio: largeFigures.drainRate / smallFigures.drainRate,
    plans,
    planVerdict: leasePlanVerdict(ready),
  };
}
