// Metrics: engine events and status snapshots fed through bindEngineObservability show up in the parsed exposition.
import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';
import { register as globalRegistry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { AgentStatus } from '../../../preload/contract/status.js';
import type { AlertInput } from '../../../main/alerts/alert-types.js';
import type { EngineActivity } from '../../../main/engine/engine-activity.js';
import { bindEngineObservability, type ObservableEngine } from '../../../main/engine/metrics-binding.js';
import { AgentMetrics } from '../../../main/observability/metrics.js';
import { ThroughputHistory } from '../../../main/observability/throughput-history.js';
import { agentStatus, connectionStatus } from '../alerts/status-fixture.js';

/** An engine stand-in that lets the test emit the events the real engine emits. */
function fakeEngine() {
  const activity = new Set<(e: EngineActivity) => void>();
  const status = new Set<(s: AgentStatus) => void>();
  const engine: ObservableEngine = {
    onActivity: (l) => (activity.add(l), () => activity.delete(l)),
    onStatus: (l) => (status.add(l), () => status.delete(l)),
  };
  return {
    engine,
    activity: (e: EngineActivity) => activity.forEach((l) => l(e)),
    status: (s: AgentStatus) => status.forEach((l) => l(s)),
    listeners: () => activity.size + status.size,
  };
}

async function parsed(metrics: AgentMetrics): Promise<ParsedFamily[]> {
  return parsePrometheusTextFormat(await metrics.text());
}

function value(families: ParsedFamily[], name: string, connection?: string): number | undefined {
  const family = families.find((f) => f.name === `integration_agent_${name}`);
  const sample = family?.metrics.find((m) => connection === undefined || m.labels?.connection === connection);
  return sample?.value === undefined ? undefined : Number(sample.value);
}

const now = Date.UTC(2026, 10, 21, 12, 0, 0);

describe('AgentMetrics through bindEngineObservability', () => {
  it('counts records per connection and observes latency in 5 ms … 60 s buckets', async () => {
    const metrics = new AgentMetrics({ processMetrics: false });
    const history = new ThroughputHistory(60, () => now);
    const fake = fakeEngine();
    const unbind = bindEngineObservability(fake.engine, metrics, history);

    fake.activity({ kind: 'captured', connection: 'invoices', records: 5, enqueued: 4 });
    fake.activity({ kind: 'captured', connection: 'orders', records: 2, enqueued: 2 });
    fake.activity({
      kind: 'settled',
      connection: 'invoices',
      destination: 'http',
      delivered: 3,
      retried: 0,
      dead: 0,
      latencyMs: 40,
    });
    fake.activity({
      kind: 'settled',
      connection: 'invoices',
      destination: 'http',
      delivered: 0,
      retried: 1,
      dead: 0,
      latencyMs: 2000,
    });
    fake.activity({
      kind: 'settled',
      connection: 'invoices',
      destination: 'http',
      delivered: 0,
      retried: 0,
      dead: 1,
      latencyMs: 120,
    });
    fake.activity({ kind: 'dead-letter', connection: 'invoices', ids: [7], reason: 'HTTP 422' });

    const families = await parsed(metrics);
    expect(value(families, 'records_captured_total', 'invoices')).toBe(5);
    expect(value(families, 'records_enqueued_total', 'invoices')).toBe(4);
    expect(value(families, 'records_captured_total', 'orders')).toBe(2);
    expect(value(families, 'records_enqueued_total', 'orders')).toBe(2);
    expect(value(families, 'records_delivered_total', 'invoices')).toBe(3);
    expect(value(families, 'records_retried_total', 'invoices')).toBe(1);
    expect(value(families, 'records_dead_total', 'invoices')).toBe(1); // the dead-letter event is not counted twice
    expect(families.find((f) => f.name === 'integration_agent_delivery_latency_seconds')?.type).toBe(
      'HISTOGRAM',
    );

    // the parser keeps histogram buckets but drops their labels, so check the labelled series in the text itself
    const text = await metrics.text();
    const bucket = (le: string, outcome: string) =>
      Number(
        new RegExp(
          `integration_agent_delivery_latency_seconds_bucket\\{le="${le}",connection="invoices",destination="http",outcome="${outcome}"\\} (\\d+)`,
        ).exec(text)?.[1],
      );
    expect(bucket('0.005', 'delivered')).toBe(0);
    expect(bucket('0.05', 'delivered')).toBe(1);
    expect(bucket('0.1', 'failed')).toBe(0);
    expect(bucket('0.25', 'failed')).toBe(1);
    expect(bucket('2.5', 'failed')).toBe(2);
    expect(bucket('60', 'failed')).toBe(2);
    expect(text).toMatch(
      /integration_agent_delivery_latency_seconds_count\{connection="invoices",destination="http",outcome="failed"\} 2/,
    );
    expect(text).toMatch(
      /integration_agent_delivery_latency_seconds_sum\{connection="invoices",destination="http",outcome="failed"\} 2\.12/,
    );

    expect(history.series(now)).toEqual([
      { connection: 'invoices', minutes: expect.any(Array) as unknown },
      { connection: 'orders', minutes: expect.any(Array) as unknown },
    ]);
    expect(history.series(now)[0]!.minutes.at(-1)).toEqual({
      at: now,
      captured: 5,
      delivered: 3,
      failed: 2,
    });

    unbind();
    expect(fake.listeners()).toBe(0);
  });

  it('refreshes gauges from status snapshots and drops the series of removed connections', async () => {
    const metrics = new AgentMetrics({ processMetrics: false });
    const fake = fakeEngine();
    const alertInputs: AlertInput[] = [];
    bindEngineObservability(
      fake.engine,
      metrics,
      new ThroughputHistory(),
      { update: (input) => alertInputs.push(input) },
      { freeDiskBytes: () => 123_456 },
    );

    const status = agentStatus(
      now,
      [
        connectionStatus('invoices', {
          pending: 12,
          pendingBytes: 4096,
          dead: 3,
          oldestPendingAt: now - 90_000,
          source: { type: 'folder', state: 'running', guarantee: 'g', lagMs: 2500 },
          destination: {
            type: 'http',
            label: 'erp',
            state: 'circuit-open',
            consecutiveFailures: 5,
            circuit: { state: 'open', consecutiveFailures: 5, openedAt: now - 1000 },
          },
        }),
        connectionStatus('orders', {
          destination: {
            type: 'http',
            label: 'shop',
            state: 'sending',
            consecutiveFailures: 0,
            circuit: { state: 'half-open', consecutiveFailures: 1 },
          },
        }),
      ],
      true,
    );
    fake.status(status);

    let families = await parsed(metrics);
    expect(value(families, 'outbox_pending_records', 'invoices')).toBe(12);
    expect(value(families, 'outbox_pending_bytes', 'invoices')).toBe(4096);
    expect(value(families, 'outbox_dead_records', 'invoices')).toBe(3);
    expect(value(families, 'oldest_pending_age_seconds', 'invoices')).toBe(90);
    expect(value(families, 'oldest_pending_age_seconds', 'orders')).toBe(0);
    expect(value(families, 'circuit_state', 'invoices')).toBe(2);
    expect(value(families, 'circuit_state', 'orders')).toBe(1);
    expect(value(families, 'source_lag_seconds', 'invoices')).toBe(2.5);
    expect(value(families, 'source_lag_seconds', 'orders')).toBeUndefined(); // the folder source did not say
    expect(value(families, 'capture_paused')).toBe(1);
    expect(alertInputs).toEqual([{ status, freeDiskBytes: 123_456 }]);

    fake.status(agentStatus(now + 2000, [connectionStatus('orders')]));
    families = await parsed(metrics);
    expect(value(families, 'outbox_pending_records', 'invoices')).toBeUndefined();
    expect(value(families, 'circuit_state', 'orders')).toBe(0);
    expect(value(families, 'capture_paused')).toBe(0);
  });

  it('uses its own registry: the global default registry stays empty, two instances do not clash', async () => {
    const a = new AgentMetrics();
    const b = new AgentMetrics();
    a.captured('x', 1);
    expect((await globalRegistry.metrics()).trim()).toBe('');
    expect(await b.text()).not.toContain('records_captured_total{connection="x"}');
    expect(await a.text()).toContain('integration_agent_process_resident_memory_bytes');
    expect(a.contentType).toContain('text/plain');
  });

  it('passes the naming rules promtool checks: only counters end in _total, every family has help', async () => {
    const metrics = new AgentMetrics();
    metrics.captured('x', 1);
    const families: ParsedFamily[] = parsePrometheusTextFormat(await metrics.text());
    expect(families.length).toBeGreaterThan(10);
    const badSuffix = families
      .filter((f) => f.type !== 'COUNTER' && f.name.endsWith('_total'))
      .map((f) => f.name);
    expect(badSuffix).toEqual([]);
    expect(families.filter((f) => !f.help).map((f) => f.name)).toEqual([]);
    expect(
      families.filter((f) => f.type === 'COUNTER' && !f.name.endsWith('_total')).map((f) => f.name),
    ).toEqual([]);
  });

  it('keeps the engine going when an update throws', () => {
    const metrics = new AgentMetrics({ processMetrics: false });
    const fake = fakeEngine();
    const errors: unknown[] = [];
    bindEngineObservability(
      fake.engine,
      metrics,
      new ThroughputHistory(),
      {
        update: () => {
          throw new Error('sink broke');
        },
      },
      { onError: (e) => errors.push(e) },
    );
    expect(() => fake.status(agentStatus(now, []))).not.toThrow();
    expect(errors).toHaveLength(1);
  });
});
