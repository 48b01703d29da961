// One delivery worker per connection: leases due heads from the outbox, sends them, settles each outcome.
import type { Logger } from 'pino';
import type { Destination, OutgoingRecord } from '../../connectors/core/destination.js';
import type { Outbox } from '../outbox/outbox.js';
import type { Settlement } from '../outbox/settle.js';
import { backoffDelayMs, type BackoffPolicy } from './backoff.js';
import { classify, type Classified } from './classify.js';
import { WakeSignal } from './wake-signal.js';

export interface DispatcherOptions {
  concurrency: number;
  leaseMs: number;
  maxLeaseBytes: number;
  retry: BackoffPolicy;
  /** Longest idle sleep before looking at the outbox again even without a wake-up. */
  idlePollMs: number;
  random?: () => number;
}

export type DestinationState = 'idle' | 'sending' | 'retrying' | 'paused' | 'stopped';

export interface DestinationHealth {
  state: DestinationState;
  detail?: string;
  lastSuccessAt?: number;
  lastError?: string;
  lastErrorAt?: number;
  consecutiveFailures: number;
}

export class Dispatcher {
  private readonly wake = new WakeSignal();
  private readonly inFlight = new Map<number, AbortController>();
  private running = false;
  private paused = false;
  private loop: Promise<void> | undefined;
  private readonly health: DestinationHealth = { state: 'idle', consecutiveFailures: 0 };
  private readonly unsubscribe: () => void;

  constructor(
    private readonly connection: string,
    private readonly outbox: Outbox,
    private readonly destination: Destination,
    private readonly options: DispatcherOptions,
    private readonly logger: Logger,
    private readonly onChange: () => void = () => {},
  ) {
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
    return { ...this.health };
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
      let lease;
      try {
        lease = this.outbox.lease({
          connection: this.connection,
          max: free,
          maxBytes: this.options.maxLeaseBytes,
          leaseMs: this.options.leaseMs,
        });
      } catch (error) {
        this.logger.error({ err: error }, 'leasing from the outbox failed; retrying shortly');
        await this.wake.wait(1000);
        continue;
      }
      if (lease.records.length === 0) {
        if (this.inFlight.size === 0 && this.health.state === 'sending') this.setHealth({ state: 'idle' });
        const due = this.outbox.nextDueAt(this.connection);
        const sleep =
          due === undefined ? this.options.idlePollMs : Math.min(this.options.idlePollMs, due - Date.now());
        await this.wake.wait(Math.max(sleep, 5));
        continue;
      }
      if (this.health.state !== 'retrying') this.setHealth({ state: 'sending' });
      for (const record of lease.records) this.sendOne(lease.token, record);
    }
  }

  private sendOne(token: string, record: OutgoingRecord): void {
    const controller = new AbortController();
    this.inFlight.set(record.id, controller);
    this.deliver(token, record, controller.signal)
      .catch((error: unknown) =>
        this.logger.error({ recordId: record.id, err: error }, 'settling a record failed'),
      )
      .finally(() => {
        this.inFlight.delete(record.id);
        this.wake.notify();
      });
  }

  private async deliver(token: string, record: OutgoingRecord, signal: AbortSignal): Promise<void> {
    const result = await this.destination.send(record, signal);
    const now = Date.now();
    const outcome: Classified = signal.aborted
      ? { kind: 'retry', error: 'interrupted: the agent was shutting down' }
      : classify(result, record.idempotencyKey, now);
    const latencyMs = result.latencyMs;
    let settlement: Settlement;
    if (outcome.kind === 'delivered') {
      settlement = { id: record.id, kind: 'delivered', receipt: outcome.receipt, latencyMs };
      this.logger.info(
        { recordId: record.id, status: outcome.receipt.status, latencyMs },
        'record delivered',
      );
      this.setHealth({ state: 'sending', lastSuccessAt: now, consecutiveFailures: 0, detail: undefined });
    } else if (outcome.kind === 'retry') {
      const backoff = signal.aborted
        ? 0
        : backoffDelayMs(this.options.retry, record.attempts, this.options.random);
      const retryAt = now + Math.max(backoff, outcome.retryAfterMs ?? 0);
      const status = outcome.status === undefined ? {} : { status: outcome.status };
      settlement = { id: record.id, kind: 'retry', retryAt, error: outcome.error, latencyMs, ...status };
      this.logger.warn(
        { recordId: record.id, attempt: record.attempts, error: outcome.error, retryAt },
        'send failed; will retry',
      );
      if (!signal.aborted) this.noteFailure(outcome.error, now, 'retrying');
    } else {
      settlement = {
        id: record.id,
        kind: 'dead',
        error: outcome.error,
        status: outcome.status,
        response: outcome.response,
        latencyMs,
      };
      this.logger.error(
        { recordId: record.id, status: outcome.status, error: outcome.error },
        'record dead-lettered',
      );
      this.noteFailure(outcome.error, now, this.health.state);
    }
    const { stale } = this.outbox.settle(token, [settlement]);
    if (stale.length > 0)
      this.logger.warn(
        { recordId: record.id },
        'lease had expired before the send finished; outcome ignored',
      );
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

  private setHealth(patch: Partial<DestinationHealth>): void {
    Object.assign(this.health, patch);
    this.onChange();
  }
}
