// Audit log: who changed what and when (connections, settings, secrets by name, dead letters), newest first, paged.
import { useState } from 'react';
import { ErrorBox } from '../common/error-box.js';
import { dateTime } from '../common/format.js';
import { useLoad } from '../common/use-action.js';
import { useAgent } from '../shell/agent-store.js';

const pageSize = 50;

export function AuditPage() {
  const { api } = useAgent();
  /** The beforeId of every page opened after the first; empty: the newest entries. */
  const [older, setOlder] = useState<number[]>([]);
  const [version, setVersion] = useState(0);
  const beforeId = older.at(-1);
  const page = useLoad(
    () => api.listAuditLog({ limit: pageSize, ...(beforeId !== undefined ? { beforeId } : {}) }),
    `${beforeId ?? 'newest'}|${version}`,
  );
  const entries = page.result?.entries ?? [];
  const next = page.result?.nextBeforeId;
  return (
    <>
      <h2>Audit log</h2>
      <p className="hint">
        Every change made through the UI, the web console or the command line, with who made it. Secrets
        appear by name only; their values are never recorded.
      </p>
      <div className="toolbar">
        <button type="button" onClick={() => (older.length > 0 ? setOlder([]) : setVersion((v) => v + 1))}>
          {older.length > 0 ? 'Newest' : 'Refresh'}
        </button>
        <button type="button" disabled={older.length === 0} onClick={() => setOlder(older.slice(0, -1))}>
          Newer
        </button>
        <button
          type="button"
          disabled={next === undefined}
          onClick={() => next !== undefined && setOlder([...older, next])}
        >
          Older
        </button>
      </div>
      <ErrorBox error={page.error} title="Could not read the audit log" />
      <div className="table-scroll">
        <table className="audit-list">
          <caption className="visually-hidden">Audit log entries, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Actor</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td>{dateTime(e.at)}</td>
                <td>{e.actor}</td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td>{e.target ?? ''}</td>
                <td className="wrap hint">{e.detail ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {entries.length === 0 && page.result && <p>No changes recorded yet.</p>}
    </>
  );
}
