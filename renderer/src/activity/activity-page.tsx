// Activity: recent log events, filtered by connection and minimum level, followed live.
import { useState } from 'react';
import type { LogEvent, LogLevel } from '../agent-api.js';
import { ErrorBox } from '../common/error-box.js';
import { FormField } from '../common/form-field.js';
import { clock } from '../common/format.js';
import { useLoad } from '../common/use-action.js';
import { ConnectionSelect } from '../records/records-page.js';
import { useAgent } from '../shell/agent-store.js';

const levels: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];
const rank = (level: LogLevel) => levels.indexOf(level);
const shown = 300;

const tone: Partial<Record<LogLevel, string>> = {
  warn: 'health-attention',
  error: 'health-attention',
  fatal: 'health-attention',
};

export function ActivityPage() {
  const { api, liveLogs } = useAgent();
  const [connection, setConnection] = useState('');
  const [level, setLevel] = useState<LogLevel>('info');
  const recent = useLoad(
    () => api.recentLogs({ level, limit: shown, ...(connection ? { connection } : {}) }),
    `${connection}|${level}`,
  );
  const loaded = recent.result?.events ?? [];
  const newest = loaded.at(-1)?.at ?? 0;
  const live = liveLogs.filter(
    (e) => e.at > newest && rank(e.level) >= rank(level) && (!connection || e.connection === connection),
  );
  const events: LogEvent[] = [...loaded, ...live].slice(-shown).reverse();
  return (
    <>
      <h2>Activity</h2>
      <div className="toolbar">
        <ConnectionSelect value={connection} onChange={setConnection} />
        <FormField label="Minimum level">
          {(p) => (
            <select {...p} value={level} onChange={(e) => setLevel(e.target.value as LogLevel)}>
              {levels.map((l) => (
                <option key={l}>{l}</option>
              ))}
            </select>
          )}
        </FormField>
      </div>
      <ErrorBox error={recent.error} title="Could not read the recent log events" />
      <p className="hint">Newest first; new events appear as they happen.</p>
      <div className="table-scroll">
        <table className="log-list">
          <caption className="visually-hidden">Log events</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Level</th>
              <th scope="col">Connection</th>
              <th scope="col">Event</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e, index) => (
              <tr key={`${e.at}-${index}`}>
                <td>{clock(e.at)}</td>
                <td>
                  <span className={`badge ${tone[e.level] ?? ''}`}>{e.level}</span>
                </td>
                <td>{e.connection ?? ''}</td>
                <td className="wrap">
                  {e.msg}
                  {e.recordId !== undefined && <span className="hint"> (record #{e.recordId})</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {events.length === 0 && recent.result && <p>No log events at this level yet.</p>}
    </>
  );
}
