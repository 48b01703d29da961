// Overview: the health banner, a card per connection and the last hour's charts.
import { ErrorBox } from '../common/error-box.js';
import { StatusBanner } from '../status-banner.js';
import { useAgent } from '../shell/agent-store.js';
import { href } from '../shell/use-route.js';
import { ConnectionCard } from './connection-card.js';
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
        <ul className="cards">
          {status?.connections.map((c) => (
            <ConnectionCard key={c.id} connection={c} now={now} />
          ))}
        </ul>
      </section>
      <ThroughputCharts series={throughput} />
    </>
  );
}
