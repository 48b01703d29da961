// Phase 1: durable enqueue rate through Outbox.enqueue against the raw better-sqlite3 insert rate of the same rows.
import { join } from 'node:path';
import type { CapturedChange } from '../../connectors/core/change.js';
import type { Outbox } from '../../main/outbox/outbox.js';
import type { BenchContext } from './bench-context.js';
import { ChangeFactory } from './change-factory.js';
import { distribution, nowMs, yieldToEventLoop, type Distribution } from './measure.js';
import {
  CONNECTION,
  deliveredSettlements,
  enqueueBatch,
  expectEqual,
  leaseRequest,
  openBenchOutbox,
} from './outbox-driver.js';
import { RawTable, readPragmas, type PragmaSet } from './raw-table.js';
import { databaseBytes } from './temp-area.js';

export const ENQUEUE_BATCH = 1_000;
export const ENQUEUE_ORDERING_KEYS = 1_000;
/** Outbox and raw alternate every block of this many batches, so drift (other load, disk) hits both alike. */
const BLOCK_BATCHES = 10;
const WARMUP_BATCHES = 20;

export interface EnqueueFigures {
  records: number;
  outboxRate: number;
  rawRate: number;
  ratio: number;
  outboxBatchMs: Distribution;
  rawBatchMs: Distribution;
  outboxBytes: number;
  rawBytes: number;
  outboxPragmas: PragmaSet;
  rawPragmas: PragmaSet;
}

export interface EnqueuePhaseResult {
  figures: EnqueueFigures;
  /** The filled outbox, handed to the drain phase. */
  outbox: Outbox;
  closeOutbox: () => void;
}

interface Side {
  times: number[];
  write: (changes: CapturedChange[], lastIndex: number) => number;
}

/** Runs one block of pre-built batches on one side; only the write call of each batch is timed. */
function runBlock(side: Side, batches: CapturedChange[][], firstIndex: number): number {
  let written = 0;
  let index = firstIndex;
  for (const changes of batches) {
    index += changes.length;
    const t0 = nowMs();
    written += side.write(changes, index - 1);
    side.times.push(nowMs() - t0);
  }
  return written;
}

async function fill(
  ctx: BenchContext,
  outboxSide: Side,
  rawSide: Side,
  factory: ChangeFactory,
  records: number,
) {
  let block = 0;
  let outboxWritten = 0;
  let rawWritten = 0;
  while (factory.produced < records) {
    const first = factory.produced;
    const batches: CapturedChange[][] = [];
    for (let k = 0; k < BLOCK_BATCHES && factory.produced < records; k++) {
      batches.push(factory.batch(Math.min(ENQUEUE_BATCH, records - factory.produced)));
    }
    if (block % 2 === 0) {
      outboxWritten += runBlock(outboxSide, batches, first);
      rawWritten += runBlock(rawSide, batches, first);
    } else {
      rawWritten += runBlock(rawSide, batches, first);
      outboxWritten += runBlock(outboxSide, batches, first);
    }
    block += 1;
    ctx.rss.sample();
    await yieldToEventLoop();
  }
  return { outboxWritten, rawWritten };
}

function sides(outbox: Outbox, raw: RawTable): { outboxSide: Side; rawSide: Side } {
  return {
    outboxSide: { times: [], write: (changes, last) => enqueueBatch(outbox, changes, last).inserted },
    rawSide: {
      times: [],
      write: (changes) => {
        raw.insertBatch(CONNECTION, changes, Date.now());
        return changes.length;
      },
    },
  };
}

/** JIT and code-path warm-up on a throwaway pair of databases: enqueue, raw insert, lease and settle. */
export async function warmUp(ctx: BenchContext): Promise<void> {
  const dir = ctx.area.dir('warm-up');
  const outbox = openBenchOutbox(join(dir, 'outbox.db'));
  const closeOutbox = ctx.area.track(() => outbox.close());
  const raw = new RawTable(join(dir, 'raw.db'), readPragmas(outbox.db));
  const closeRaw = ctx.area.track(() => raw.close());
  const records = WARMUP_BATCHES * ENQUEUE_BATCH;
  const factory = new ChangeFactory({ orderingKeys: ENQUEUE_ORDERING_KEYS, keyStyle: ctx.options.keyStyle });
  const { outboxSide, rawSide } = sides(outbox, raw);
  await fill(ctx, outboxSide, rawSide, factory, records);
  for (;;) {
    const lease = outbox.lease(leaseRequest);
    if (lease.records.length === 0) break;
    outbox.settle(lease.token, deliveredSettlements(lease, Date.now()));
  }
  expectEqual('warm-up pending after drain', outbox.counts(CONNECTION).pending, 0);
  closeRaw();
  closeOutbox();
  ctx.area.remove('warm-up');
}

export async function runEnqueuePhase(ctx: BenchContext): Promise<EnqueuePhaseResult> {
  const { records, keyStyle } = ctx.options;
  const outboxFile = join(ctx.area.dir('enqueue-outbox'), 'outbox.db');
  const rawFile = join(ctx.area.dir('enqueue-raw'), 'raw.db');
  const outbox = openBenchOutbox(outboxFile);
  const closeOutbox = ctx.area.track(() => outbox.close());
  const outboxPragmas = readPragmas(outbox.db);
  const raw = new RawTable(rawFile, outboxPragmas);
  const closeRaw = ctx.area.track(() => raw.close());
  const rawPragmas = readPragmas(raw.db);

  const factory = new ChangeFactory({ orderingKeys: ENQUEUE_ORDERING_KEYS, keyStyle });
  const { outboxSide, rawSide } = sides(outbox, raw);
  const { outboxWritten, rawWritten } = await fill(ctx, outboxSide, rawSide, factory, records);

  expectEqual('records inserted by Outbox.enqueue', outboxWritten, records);
  expectEqual('records inserted raw', rawWritten, records);
  expectEqual('outbox pending count', outbox.counts(CONNECTION).pending, records);
  expectEqual('outbox checkpoint pos', outbox.checkpoint(CONNECTION, 'pos'), String(records - 1));
  expectEqual('raw row count', raw.count(), records);

  const outboxBatchMs = distribution(outboxSide.times);
  const rawBatchMs = distribution(rawSide.times);
  const outboxRate = records / (outboxBatchMs.total / 1000);
  const rawRate = records / (rawBatchMs.total / 1000);
  const figures: EnqueueFigures = {
    records,
    outboxRate,
    rawRate,
    ratio: outboxRate / rawRate,
    outboxBatchMs,
    rawBatchMs,
    outboxBytes: databaseBytes(outboxFile),
    rawBytes: databaseBytes(rawFile),
    outboxPragmas,
    rawPragmas,
  };
  closeRaw();
  ctx.area.remove('enqueue-raw');
  return { figures, outbox, closeOutbox };
}
