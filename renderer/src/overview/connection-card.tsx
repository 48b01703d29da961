// One fixed-size card per connection: route, state, pending, dead letters, last success, lag, circuit, reason.
import type { ConnectionStatus } from '../../../preload/contract/status.js';
import { ago, count, lag as lagText } from '../common/format.js';
import { href } from '../shell/use-route.js';

const healthWords: Record<ConnectionStatus['health'], string> = {
  'in-sync': 'in sync',
  'catching-up': 'catching up',
  attention: 'needs attention',
  stopped: 'stopped',
};

export function ConnectionCard({ connection: c, now }: { connection: ConnectionStatus; now: number }) {
  const source = c.source ? c.source.type : 'source';
  const destination = c.destination?.label ?? c.destination?.type ?? 'destination';
  const lag = c.source?.lagMs ?? (c.oldestPendingAt !== undefined ? now - c.oldestPendingAt : undefined);
  const titleId = `card-${c.id}`;
  return (
    <li
      className={`card health-${c.health}`}
      aria-labelledby={titleId}
      data-testid={`connection-card-${c.id}`}
    >
      <h3 id={titleId}>
        <span>{c.name}</span>
        <span className="badge" data-testid="connection-health">
          {healthWords[c.health]}
        </span>
      </h3>
      <div className="route" title={`${source} → ${destination}`}>
        {source} → {destination}
      </div>
      <dl>
        <div>
          <dt>Capture</dt>
          <dd>{c.source?.state ?? '—'}</dd>
        </div>
        <div>
          <dt>Delivery</dt>
          <dd>{c.destination?.state ?? '—'}</dd>
        </div>
        <div>
          <dt>Circuit</dt>
          <dd>{c.destination?.circuit?.state ?? 'closed'}</dd>
        </div>
        <div>
          <dt>Pending</dt>
          <dd data-testid="pending">{count(c.pending)}</dd>
        </div>
        <div>
          <dt>Dead letters</dt>
          <dd data-testid="dead">
            {c.dead > 0 ? <a href={href('dead-letters', [], { connection: c.id })}>{count(c.dead)}</a> : 0}
          </dd>
        </div>
        <div>
          <dt>Lag</dt>
          <dd>{lagText(lag, c.pending)}</dd>
        </div>
        <div>
          <dt>Last success</dt>
          <dd>{ago(c.destination?.lastSuccessAt ?? c.lastDeliveredAt, now)}</dd>
        </div>
        <div>
          <dt>Last capture</dt>
          <dd>{ago(c.source?.lastCaptureAt, now)}</dd>
        </div>
      </dl>
      <div className="reason" title={c.reason ?? ''}>
        {c.health !== 'in-sync' && c.reason ? c.reason : ''}
      </div>
    </li>
  );
}
