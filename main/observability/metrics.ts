// Prometheus metrics on the agent's own prom-client registry: per-connection record counters, latency, outbox and health gauges.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AgentStatus, ConnectionStatus } from '../../preload/contract/status.js';

export interface AgentMetricsOptions {
  /** Also export process metrics (CPU, memory, event loop lag, handles); default true. */
  processMetrics?: boolean;
}

export interface SettledCounts {
  /** The connection's destination type (http, mqtt, amqp, …): the transport its records went out on. */
  destination: string;
  delivered: number;
  retried: number;
  dead: number;
  /** Time the request took (send to answer). */
  latencyMs: number;
}

const prefix = 'integration_agent_';

/** 5 ms … 60 s: a loopback API answers in milliseconds, a struggling one hits the 60 s total timeout. */
export const latencyBucketsSeconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Circuit state as a number, so a dashboard can graph and alert on it: 0 closed, 1 half-open, 2 open. */
export const circuitStateValue = { closed: 0, 'half-open': 1, open: 2 } as const;

type ConnectionLabel = 'connection';
/** Delivery series also carry the destination type, so a fleet dashboard can split HTTP, MQTT and AMQP traffic. */
type DeliveryLabel = 'connection' | 'destination';

export class AgentMetrics {
  readonly registry = new Registry();
  readonly contentType: string = this.registry.contentType;
  private readonly recordsCaptured = this.counter('records_captured_total', 'Changes the source captured');
  private readonly recordsEnqueued = this.counter(
    'records_enqueued_total',
    'Changes newly stored in the outbox (captured twice, stored once)',
  );
  private readonly recordsDelivered = this.deliveryCounter(
    'records_delivered_total',
    'Records the destination acknowledged',
  );
  private readonly recordsRetried = this.deliveryCounter(
    'records_retried_total',
    'Record send attempts that failed transiently and were scheduled again',
  );
  private readonly recordsDead = this.deliveryCounter(
    'records_dead_total',
    'Records moved to the dead-letter queue',
  );
  private readonly latency = new Histogram<DeliveryLabel | 'outcome'>({
    name: `${prefix}delivery_latency_seconds`,
    help: 'Time from sending a request to its answer; outcome is delivered or failed; destination is its type',
    labelNames: ['connection', 'outcome', 'destination'],
    buckets: latencyBucketsSeconds,
    registers: [this.registry],
  });
  private readonly pending = this.gauge('outbox_pending_records', 'Records waiting for delivery');
  private readonly pendingBytes = this.gauge('outbox_pending_bytes', 'Payload bytes waiting for delivery');
  private readonly deadRecords = this.gauge('outbox_dead_records', 'Records in the dead-letter queue');
  private readonly oldestPendingAge = this.gauge(
    'oldest_pending_age_seconds',
    'Age of the oldest record waiting for delivery (0 when none waits)',
  );
  private readonly circuit = this.gauge('circuit_state', 'Circuit breaker: 0 closed, 1 half-open, 2 open');
  private readonly sourceLag = this.gauge(
    'source_lag_seconds',
    'How far capture trails the source, where the source can tell',
  );
  private readonly capturePaused = new Gauge({
    name: `${prefix}capture_paused`,
    help: '1 while capture is paused by backpressure (outbox caps or low disk)',
    registers: [this.registry],
  });
  private readonly known = new Set<string>();

  constructor(options: AgentMetricsOptions = {}) {
    if (options.processMetrics ?? true) {
      // The event-loop lag monitor samples every 10 ms by default: 100 wake-ups a second of an agent with nothing
      // to do (the largest part of its idle CPU). Once every 500 ms still shows a stalled loop.
      collectDefaultMetrics({ register: this.registry, prefix, eventLoopMonitoringPrecision: 500 });
      // prom-client names these gauges `_total`, a suffix Prometheus keeps for counters (promtool warns about it);
      // the same numbers are in `process_*` and the event-loop metrics.
      for (const name of ['active_handles_total', 'active_requests_total', 'active_resources_total'])
        this.registry.removeSingleMetric(`${prefix}nodejs_${name}`);
    }
  }

  captured(connection: string, n: number): void {
    if (n > 0) this.recordsCaptured.inc({ connection }, n);
  }

  enqueued(connection: string, n: number): void {
    if (n > 0) this.recordsEnqueued.inc({ connection }, n);
  }

  /** One request's outcome: its records counted by result, its latency observed once. */
  settled(connection: string, counts: SettledCounts): void {
    const labels = { connection, destination: counts.destination };
    if (counts.delivered > 0) this.recordsDelivered.inc(labels, counts.delivered);
    if (counts.retried > 0) this.recordsRetried.inc(labels, counts.retried);
    if (counts.dead > 0) this.recordsDead.inc(labels, counts.dead);
    if (counts.delivered + counts.retried + counts.dead === 0) return;
    const outcome = counts.delivered > 0 ? 'delivered' : 'failed';
    this.latency.observe({ ...labels, outcome }, Math.max(0, counts.latencyMs) / 1000);
  }

  /** Refreshes the gauges; connections gone from the snapshot lose their gauge series. */
  updateFromStatus(status: AgentStatus): void {
    const seen = new Set<string>();
    for (const c of status.connections) {
      seen.add(c.id);
      this.updateConnection(c, status.updatedAt);
    }
    for (const id of this.known) if (!seen.has(id)) this.forget(id);
    this.known.clear();
    for (const id of seen) this.known.add(id);
    this.capturePaused.set(status.outbox.capturePaused ? 1 : 0);
  }

  /** The exposition in the Prometheus text format (serve with `contentType`). */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  private updateConnection(c: ConnectionStatus, now: number): void {
    const labels = { connection: c.id };
    this.pending.set(labels, c.pending);
    this.pendingBytes.set(labels, c.pendingBytes);
    this.deadRecords.set(labels, c.dead);
    this.oldestPendingAge.set(
      labels,
      c.oldestPendingAt === undefined ? 0 : Math.max(0, now - c.oldestPendingAt) / 1000,
    );
    this.circuit.set(labels, circuitStateValue[c.destination?.circuit?.state ?? 'closed']);
    if (c.source?.lagMs === undefined) this.sourceLag.remove(labels);
    else this.sourceLag.set(labels, c.source.lagMs / 1000);
  }

  private forget(connection: string): void {
    for (const gauge of [
      this.pending,
      this.pendingBytes,
      this.deadRecords,
      this.oldestPendingAge,
      this.circuit,
      this.sourceLag,
    ])
      gauge.remove({ connection });
  }

  private counter(name: string, help: string): Counter<ConnectionLabel> {
    return new Counter({
      name: `${prefix}${name}`,
      help,
      labelNames: ['connection'],
      registers: [this.registry],
    });
  }

  private deliveryCounter(name: string, help: string): Counter<DeliveryLabel> {
    return new Counter({
      name: `${prefix}${name}`,
      help,
      labelNames: ['connection', 'destination'],
      registers: [this.registry],
    });
  }

  private gauge(name: string, help: string): Gauge<ConnectionLabel> {
    return new Gauge({
      name: `${prefix}${name}`,
      help,
      labelNames: ['connection'],
      registers: [this.registry],
    });
  }
}
