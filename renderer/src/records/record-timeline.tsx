// One record's story: captured → queued → attempts (status, latency) → delivered with the receipt, or dead with the reason.
import type { TimelineEvent } from '../agent-api.js';
import { ErrorBox } from '../common/error-box.js';
import { dateTime } from '../common/format.js';
import { useLoad } from '../common/use-action.js';
import { useAgent } from '../shell/agent-store.js';
import { href } from '../shell/use-route.js';
import { eventDetailParts } from './event-detail.js';
import { mappingText, originText } from './record-table.js';

const tone: Partial<Record<TimelineEvent['kind'], string>> = {
  delivered: 'health-in-sync',
  dead: 'health-attention',
  attempt: 'health-catching-up',
  discarded: 'health-stopped',
};

function describe(event: TimelineEvent): string {
  return eventDetailParts(event.detail).join(' · ');
}

export function RecordTimelineView({ id }: { id: number }) {
  const { api } = useAgent();
  const timeline = useLoad(() => api.recordTimeline({ id }), String(id));
  const record = timeline.result?.record;
  return (
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">Record #{id}</h2>
      <p>
        <a href={href('records')}>Back to search</a>
      </p>
      <ErrorBox error={timeline.error} title="Could not load the record" />
      {record && (
        <dl className="panel">
          <dt>Connection</dt>
          <dd>{record.connection}</dd>
          <dt>State</dt>
          <dd data-testid="record-state">{record.state}</dd>
          <dt>Business key</dt>
          <dd>{record.businessKey ?? '—'}</dd>
          <dt>Idempotency key</dt>
          <dd className="wrap">{record.idempotencyKey}</dd>
          <dt>Origin</dt>
          <dd>{originText(record) || '—'}</dd>
          <dt>Mapping version</dt>
          <dd data-testid="record-mapping-version">{mappingText(record)}</dd>
          {record.receipt && (
            <>
              <dt>Server receipt</dt>
              <dd>
                {record.receipt.code}
                {record.receipt.serverId ? `, server id ${record.receipt.serverId}` : ''} at{' '}
                {dateTime(record.receipt.at)}
              </dd>
            </>
          )}
          {record.lastError && (
            <>
              <dt>Last error</dt>
              <dd>{record.lastError}</dd>
            </>
          )}
        </dl>
      )}
      {timeline.result && (
        <>
          <h3>Timeline</h3>
          <ol className="timeline" aria-label="What happened to this record">
            {timeline.result.events.map((e, index) => (
              <li key={`${e.at}-${index}`} className={tone[e.kind] ?? ''}>
                <strong>{e.kind}</strong> <span className="hint">{dateTime(e.at)}</span>
                <div>{describe(e)}</div>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
