// One compact row per connection (scales to dozens): route, state and reason, backlog, oldest waiting, rate in/out, last success and capture, next retry, dead letters.
import type { ConnectionStatus } from '../../../preload/contract/status.js';
import type { ThroughputSeries } from '../agent-api.js';
import { ago, clock, count, lag as lagText } from '../common/format.js';
import { href } from '../shell/use-route.js';

const healthWords: Record<ConnectionStatus['health'], string> = {
  'in-sync': 'in sync',
  'catching-up': 'catching up',
  attention: 'needs attention',
  stopped: 'stopped',
};

/** Minutes averaged for the rate: the last five complete ones. */
const rateMinutes = 5;

/** "12/min in · 11/min out" over the last complete minutes; "none yet" without history. */
function rate(series: ThroughputSeries | undefined): string {
  const minutes = series?.minutes.slice(-(rateMinutes + 1), -1) ?? [];
  if (minutes.length === 0) return 'none yet';
  const per = (key: 'captured' | 'delivered') =>
    Math.round(minutes.reduce((sum, m) => sum + m[key], 0) / minutes.length);
  return `${count(per('captured'))}/min in · ${count(per('delivered'))}/min out`;
}

function Row({ c, series, now }: { c: ConnectionStatus; series: ThroughputSeries | undefined; now: number }) {
  const source = c.source ? c.source.type : 'source';
  const destination = c.destination?.label ?? c.destination?.type ?? 'destination';
  const oldest = c.oldestPendingAt !== undefined ? now - c.oldestPendingAt : undefined;
  const waiting = c.source?.waiting;
  return (
    <tr className={`health-${c.health}`} data-testid={`connection-card-${c.id}`}>
      <th scope="row">
        <span className="name">{c.name}</span>
        <span className="route">
          {source} → {destination}
        </span>
      </th>
      <td>
        <span className="badge" data-testid="connection-health">
          {healthWords[c.health]}
        </span>
        {c.health !== 'in-sync' && c.reason && <span className="reason">{c.reason}</span>}
      </td>
      <td className="num">
        <span data-testid="pending">{count(c.pending)}</span>
        {waiting && waiting.count > 0 && (
          <span className="sub">
            +{count(waiting.count)} {waiting.unit}
            {waiting.count === 1 ? '' : 's'} at the source
          </span>
        )}
      </td>
      <td className="num">{lagText(c.source?.lagMs ?? oldest, c.pending + (waiting?.count ?? 0))}</td>
      <td className="num">{rate(series)}</td>
      <td>{ago(c.destination?.lastSuccessAt ?? c.lastDeliveredAt, now)}</td>
      <td>{ago(c.source?.lastCaptureAt, now)}</td>
      <td>{c.nextRetryAt !== undefined ? clock(c.nextRetryAt) : '—'}</td>
      <td className="num" data-testid="dead">
        {c.dead > 0 ? <a href={href('dead-letters', [], { connection: c.id })}>{count(c.dead)}</a> : 0}
      </td>
    </tr>
  );
}

export function ConnectionTable({
  connections,
  throughput,
  now,
}: {
  connections: ConnectionStatus[];
  throughput: ThroughputSeries[] | undefined;
  now: number;
}) {
  return (
    <div className="table-scroll">
      <table className="connections-table">
        <caption className="visually-hidden">Connections and their state</caption>
        <thead>
          <tr>
            <th scope="col">Connection</th>
            <th scope="col">State</th>
            <th scope="col">Backlog</th>
            <th scope="col">Oldest waiting</th>
            <th scope="col">Rate</th>
            <th scope="col">Last success</th>
            <th scope="col">Last capture</th>
            <th scope="col">Next retry</th>
            <th scope="col">Dead letters</th>
          </tr>
        </thead>
        <tbody>
          {connections.map((c) => (
            <Row key={c.id} c={c} series={throughput?.find((s) => s.connection === c.id)} now={now} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
