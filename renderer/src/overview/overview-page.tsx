// Overview: the health banner, a compact row per connection and the last hour's per-minute charts.
import { ErrorBox } from '../common/error-box.js';
import { StatusBanner } from '../status-banner.js';
import { useAgent } from '../shell/agent-store.js';
import { href } from '../shell/use-route.js';
import { ConnectionTable } from './connection-table.js';
import { ThroughputCharts } from './throughput-charts.js';

export function OverviewPage() {
  const { status, throughput, now, problem } = useAgent();
  return (
    <>
      <h2>Overview</h2>
      <ErrorBox error={problem} title="Live updates failed" />
      {status ? <StatusBanner status={status} /> : <p className="banner health-stopped">Loading status…</p>}
      {status?.notices.map((n) => (
        <p key={`${n.at}-${n.message}`} className={n.level === 'error' ? 'message error' : 'message'}>
          {n.message}
        </p>
      ))}
      <section aria-labelledby="connections-title">
        <h3 id="connections-title">Connections</h3>
        {status && status.connections.length === 0 && (
          <p>
            No connections yet. <a href={href('connections', ['new'])}>Add a connection</a>.
          </p>
        )}
        {status && status.connections.length > 0 && (
          <ConnectionTable connections={status.connections} throughput={throughput} now={now} />
        )}
      </section>
      <ThroughputCharts series={throughput} />
    </>
  );
}
