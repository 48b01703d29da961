// The real promtool lints the agent's exposition (every series kind it exports, delivery labels included): no findings.
import { describe, expect, it } from 'vitest';
import { AgentMetrics } from '../../../main/observability/metrics.js';
import { promtool } from '../../support/promtool.js';
import { agentStatus, connectionStatus } from '../alerts/status-fixture.js';

describe('promtool check metrics', () => {
  it("finds nothing to complain about in a busy agent's /metrics", async () => {
    const metrics = new AgentMetrics();
    metrics.captured('invoices', 5);
    metrics.enqueued('invoices', 4);
    metrics.settled('invoices', { destination: 'mqtt', delivered: 3, retried: 1, dead: 1, latencyMs: 40 });
    metrics.settled('orders', { destination: 'amqp', delivered: 0, retried: 2, dead: 0, latencyMs: 900 });
    const now = Date.now();
    metrics.updateFromStatus(
      agentStatus(now, [connectionStatus('invoices', { pending: 3 }), connectionStatus('orders')]),
    );
    const text = await metrics.text();
    expect(text).toContain(
      'integration_agent_records_delivered_total{connection="invoices",destination="mqtt"} 3',
    );
    const check = promtool(['check', 'metrics'], text);
    expect(check.output).toBe('');
    expect(check.status).toBe(0);
  });

  it('is the real linter: a gauge named like a counter is reported', () => {
    const bad = '# HELP x_total A gauge.\n# TYPE x_total gauge\nx_total 1\n';
    const check = promtool(['check', 'metrics'], bad);
    expect(check.output).toMatch(/x_total/);
  });
});
