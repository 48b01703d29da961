// One delivery worker per connection: leases due records or batches, sends them through the gate, settles outcomes.
import type { Logger } from 'pino';
import type { ApiNotice, Destination, OutgoingRequest } from '../../connectors/core/destination.js';
import type { DeliveredRecord } from '../../connectors/core/source.js';
import { errorMessage } from '../shared/error-message.js';
import { traceparentFor } from '../observability/traceparent.js';
import type { Lease } from '../outbox/lease.js';
import type { Outbox } from '../outbox/outbox.js';
import type { BackoffPolicy } from './backoff.js';
import { DeliveryGate } from './delivery-gate.js';
import { GroupSettle } from './group-settle.js';
import type { DestinationHealth, DestinationState } from './destination-health.js';
import { settlementsFor, type Classified, type RequestOutcome } from './settlements.js';
import { WakeSignal } from './wake-signal.js';
import { correlationFields } from '../observability/log-correlation.js';

/** The start of the status detail while leasing fails (cleared by the next lease that works). */
const leaseProblem = 'cannot read the stored records: ';

export type { DestinationHealth, DestinationState } from './destination-health.js';

export interface DispatcherOptions {
  concurrency: number;
  leaseMs: number;
  maxLeaseBytes: number;
  retry: BackoffPolicy;
  /** Longest idle sleep before looking at the outbox again even without a wake-up. */
  idlePollMs: number;
  /** Send a W3C traceparent with every request. */
  traceContext?: boolean;
  gate?: DeliveryGate;
  /** Called after the outbox committed records as delivered (e.g. so the source archives their file). */
  onDelivered?: (records: DeliveredRecord[]) => void;
  random?: () => number;
}

/** One request's worth of leased records. */
interface Unit {
  token: string;
  request: OutgoingRequest;
  batchKey?: string;
}

/** The reason the gate shows in status (circuit, server pause): the protocol's code or the error, without the response body. */
function shortReason(classified: Classified): string {
  if (classified.kind === 'delivered') return '';
  if (classified.code !== undefined) return classified.code;
  return classified.error.length > 160 ? `${classified.error.slice(0, 157)}...` : classified.error;
}

export class Dispatcher {
  private readonly wake = new WakeSignal();
  private readonly inFlight = new Map<number, AbortController>();
  /** Source notifications of committed deliveries, each waiting for its commit's fsync. */
  private readonly awaitingDisk = new Set<Promise<void>>();
  private readonly gate: DeliveryGate;
  private running = false;
  /** Set when the current dispatch leased records (what clears a lease problem in status). */
  private leasedRecords = false;
  private paused = false;
  private loop: Promise<void> | undefined;
  private nextUnitId = 1;
  private readonly health: DestinationHealth = { state: 'idle', consecutiveFailures: 0 };
  private readonly unsubscribe: () => void;
  private readonly settles: GroupSettle;

  constructor(
    private readonly connection: string,
    private readonly outbox: Outbox,
    private readonly destination: Destination,
    private readonly options: DispatcherOptions,
    private readonly logger: Logger,
    private readonly onChange: () => void = () => {},
  ) {
    this.gate = options.gate ?? new DeliveryGate();
    this.settles = new GroupSettle(outbox);
    this.unsubscribe = outbox.onEnqueued((c) => {
      if (c === connection) this.wake.notify();
    });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  pause(reason: string): void {
    this.paused = true;
    this.setHealth({ state: 'paused', detail: reason });
  }

  resume(): void {
    this.paused = false;
    this.setHealth({ state: 'idle', detail: undefined });
    this.wake.notify();
  }

  status(): DestinationHealth {
    return { ...this.health, ...this.gate.snapshot(Date.now()) };
  }

  /** Stops leasing; waits up to `graceMs` for sends in flight, then aborts them (they are settled for retry). */
  async stop(graceMs: number): Promise<void> {
    this.running = false;
    this.unsubscribe();
    this.wake.notify();
    const deadline = Date.now() + graceMs;
    while (this.inFlight.size > 0 && Date.now() < deadline)
      await this.wake.wait(Math.min(50, deadline - Date.now()));
    for (const controller of this.inFlight.values()) controller.abort();
    while (this.inFlight.size > 0) await this.wake.wait(50);
    await Promise.all(this.awaitingDisk);
    await this.loop;
    this.setHealth({ state: 'stopped', detail: undefined });
  }

  private async run(): Promise<void> {
    while (this.running) {
      const free = this.options.concurrency - this.inFlight.size;
      if (this.paused || free <= 0) {
        await this.wake.wait(this.options.idlePollMs);
        continue;
      }
      let sleepUntil: number | undefined;
      try {
        this.leasedRecords = false;
        sleepUntil = this.dispatch(free);
        // Over once a lease hands out records, or nothing is open any more; not while the records a failed lease
        // left leased (until it expires) make the outbox look empty, or status would say idle most of the time.
        if (
          this.health.detail?.startsWith(leaseProblem) &&
          (this.leasedRecords || this.outbox.counts(this.connection).pending === 0)
        )
          this.setState('idle');
      } catch (error) {
        this.logger.error({ err: error }, 'leasing from the outbox failed; retrying shortly');
        // Status says why nothing leaves (e.g. a payload whose data key is missing, with the fix), not only the log.
        this.setState('retrying', `${leaseProblem}${errorMessage(error)}`);
        sleepUntil = Date.now() + 1000;
      }
      // After a lease, one turn of the event loop before the next: the request just leased goes out, settles and
      // timers run, instead of several synchronous leases back to back holding the loop.
      if (sleepUntil === undefined) await new Promise((resolve) => setImmediate(resolve));
      else await this.wake.wait(Math.max(sleepUntil - Date.now(), 5));
    }
  }

  /** Starts what may start now; returns when to look again, or undefined to loop at once. */
  private dispatch(free: number): number | undefined {
    const now = Date.now();
    const closed = this.gate.closed(now);
    if (closed) {
      this.setState(closed.state, closed.detail);
      return Math.min(closed.until, now + this.options.idlePollMs);
    }
    const batching = this.destination.batching;
    // One record per request and no rate limit: a permit handed back costs nothing, so lease without counting first
    // (the count was a query per request).
    if (!batching && !this.gate.limitsRate) return this.startSends(free, now, true);
    const peek = this.outbox.peekReady(this.connection, batching ? batching.maxRecords : free);
    if (peek.count === 0) return this.nothingDue(now);
    if (batching && !peek.storedBatch && peek.count < batching.maxRecords) {
      const lingerEnds = (peek.firstDueAt ?? now) + batching.lingerMs;
      if (lingerEnds > now) return lingerEnds; // an enqueue wakes us earlier to count again
    }
    return this.startSends(batching ? 1 : Math.min(free, peek.count), now, false);
  }

  /** Leases and sends up to `wanted` requests' worth; `uncounted`: nothing was counted as due before. */
  private startSends(wanted: number, now: number, uncounted: boolean): number | undefined {
    const { granted, retryAt } = this.gate.acquire(wanted, now);
    if (granted === 0) return retryAt;
    const units = this.leaseUnits(granted);
    this.gate.release(granted - units.length);
    if (units.length === 0) return uncounted ? this.nothingDue(now) : now + 50;
    if (this.health.state !== 'retrying') this.setState('sending');
    for (const unit of units) this.sendUnit(unit);
    return undefined;
  }

  /** Nothing is due: idle unless something is in flight; look again when the next record is due, or at the poll. */
  private nothingDue(now: number): number {
    if (this.inFlight.size === 0 && this.health.state !== 'retrying') this.setState('idle');
    const due = this.outbox.nextDueAt(this.connection);
    return Math.min(due ?? Number.POSITIVE_INFINITY, now + this.options.idlePollMs);
  }

  private leaseUnits(count: number): Unit[] {
    const batching = this.destination.batching;
    const lease: Lease = this.outbox.lease({
      connection: this.connection,
      max: batching ? batching.maxRecords : count,
      maxBytes: batching ? batching.maxBytes : this.options.maxLeaseBytes,
      leaseMs: this.options.leaseMs,
      batch: batching !== undefined,
    });
    if (lease.records.length === 0) return [];
    this.leasedRecords = true;
    const units = lease.batchKey
      ? [{ key: lease.batchKey, records: lease.records, batchKey: lease.batchKey }]
      : lease.records.map((r) => ({ key: r.idempotencyKey, records: [r], batchKey: undefined }));
    return units.map(({ key, records, batchKey }) => ({
      token: lease.token,
      request: {
        idempotencyKey: key,
        records,
        ...(this.options.traceContext ? { traceparent: traceparentFor(key) } : {}),
      },
      ...(batchKey ? { batchKey } : {}),
    }));
  }

  private sendUnit(unit: Unit): void {
    const controller = new AbortController();
    const id = this.nextUnitId++;
    this.inFlight.set(id, controller);
    this.deliver(unit, controller.signal)
      .catch((error: unknown) =>
        this.logger.error(
          { ...correlationFields(unit.request, unit.batchKey), err: error },
          'settling a request failed; its lease will expire and it is sent again',
        ),
      )
      .finally(() => {
        this.inFlight.delete(id);
        this.wake.notify();
      });
  }

  private async deliver(unit: Unit, signal: AbortSignal): Promise<void> {
    const { request } = unit;
    // From here on only what may be kept in clear: with encryption on, the receiver's words are sealed apart.
    const { result, sealedAnswer } = this.outbox.answerAtRest(
      this.connection,
      await this.destination.send(request, signal),
    );
    const now = Date.now();
    if (result.apiNotice !== undefined) this.noteApiNotice(result.apiNotice, now);
    const outcome = settlementsFor(request, result, {
      now,
      retry: this.options.retry,
      interrupted: signal.aborted,
      ...(unit.batchKey ? { batchKey: unit.batchKey } : {}),
      ...(sealedAnswer !== undefined ? { sealedAnswer } : {}),
      ...(this.options.random ? { random: this.options.random } : {}),
    });
    const { stale, delivered, durable } = await this.settles.settle(unit.token, outcome.settlements);
    if (stale.length > 0)
      this.logger.warn({ recordIds: stale }, 'lease had expired before the send finished; outcome ignored');
    if (delivered.length > 0) this.notifyOnceOnDisk(durable, delivered);
    this.record(unit, outcome, signal.aborted, now);
  }

  /** Logs the outcome and updates gate and health. */
  private record(unit: Unit, outcome: RequestOutcome, aborted: boolean, now: number): void {
    const { classified } = outcome;
    const where = correlationFields(unit.request, unit.batchKey);
    for (const s of outcome.settlements)
      if (s.kind === 'dead' && s.latencyMs === 0)
        this.logger.error(
          { recordId: s.id, error: s.error },
          'record could not be sent and was dead-lettered',
        );
    if (!classified) {
      this.gate.report('abandoned', '', now);
      return;
    }
    const retryAfter = classified.kind === 'retry' ? classified.retryAfterMs : undefined;
    this.gate.report(aborted ? 'abandoned' : classified.signal, shortReason(classified), now, retryAfter);
    if (classified.kind === 'delivered') {
      this.logger.info({ ...where, code: classified.code }, 'delivered');
      this.setHealth({ state: 'sending', lastSuccessAt: now, consecutiveFailures: 0, detail: undefined });
    } else if (classified.kind === 'retry') {
      this.logger.warn(
        { ...where, error: classified.error, retryAt: outcome.retryAt },
        'send failed; will retry',
      );
      if (!aborted) this.noteFailure(classified.error, now, 'retrying');
    } else {
      this.logger.error({ ...where, code: classified.code, error: classified.error }, 'dead-lettered');
      this.noteFailure(classified.error, now, this.health.state);
    }
  }

  /**
   * The source acts on deliveries (deletes a delivered file) only once their commit is on disk, while this sender's
   * slot is already free for the next send. If the fsync fails, the source acts after the next start, when it asks
   * the outbox which of its records were delivered.
   */
  private notifyOnceOnDisk(durable: Promise<void>, delivered: DeliveredRecord[]): void {
    const notified: Promise<void> = durable
      .then(
        () => this.notifyDelivered(delivered),
        (error: unknown) =>
          this.logger.error(
            { err: error },
            'the outbox could not be synced to disk; the source acts on these deliveries after the next start',
          ),
      )
      .finally(() => this.awaitingDisk.delete(notified));
    this.awaitingDisk.add(notified);
  }

  /** A source's reaction to a delivery must never fail the delivery that already committed. */
  private notifyDelivered(delivered: DeliveredRecord[]): void {
    try {
      this.options.onDelivered?.(delivered);
    } catch (error) {
      this.logger.error({ err: error }, 'the source could not take note of delivered records');
    }
  }

  /** Keeps the API's Deprecation / Sunset announcement for status and alerts; a response without one clears it. */
  private noteApiNotice(notice: ApiNotice | null, at: number): void {
    const { seenAt: _seenAt, ...known } = this.health.apiNotice ?? {};
    const changed = JSON.stringify(this.health.apiNotice ? known : null) !== JSON.stringify(notice);
    if (notice === null) {
      if (changed) this.setHealth({ apiNotice: undefined });
      return;
    }
    this.health.apiNotice = { ...notice, seenAt: at };
    if (!changed) return;
    this.logger.warn({ ...notice }, 'the API announces its deprecation or sunset');
    this.onChange();
  }

  private noteFailure(error: string, at: number, state: DestinationState): void {
    this.setHealth({
      state,
      lastError: error,
      lastErrorAt: at,
      consecutiveFailures: this.health.consecutiveFailures + 1,
      detail: state === 'retrying' ? `retrying after: ${error}` : this.health.detail,
    });
  }

  private setState(state: DestinationState, detail?: string): void {
    if (this.health.state === state && this.health.detail === detail) return;
    this.setHealth({ state, detail });
  }

  private setHealth(patch: Partial<DestinationHealth>): void {
    Object.assign(this.health, patch);
    this.onChange();
  }
}
