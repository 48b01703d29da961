// Activity: recent log events in plain words (alike neighbours folded into one line), filtered by connection and minimum level, followed live.
import { useState } from 'react';
import type { LogEvent, LogLevel } from '../agent-api.js';
import { ErrorBox } from '../common/error-box.js';
import { FormField } from '../common/form-field.js';
import { clock, dateTime } from '../common/format.js';
import { useLoad } from '../common/use-action.js';
import { ConnectionSelect } from '../records/records-page.js';
import { useAgent } from '../shell/agent-store.js';
import { activityLines } from './activity-lines.js';

const levels: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];
const rank = (level: LogLevel) => levels.indexOf(level);
const shown = 300;

/** Warnings amber, errors red: an error never looks like a warning. */
const tone: Partial<Record<LogLevel, string>> = {
  warn: 'health-attention',
  error: 'fail',
  fatal: 'fail',
};
const levelWords: Record<LogLevel, string> = {
  trace: 'trace',
  debug: 'debug',
  info: 'info',
  warn: 'warning',
  error: 'error',
  fatal: 'fatal',
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
  const lines = activityLines(events);
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
      <p className="hint">
        Newest first; new events appear as they happen. Repeats in a row share one line with their count.
      </p>
      <div className="table-scroll">
        <table className="log-list">
          <caption className="visually-hidden">Log events</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Level</th>
              <th scope="col">Connection</th>
              <th scope="col">What happened</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line, index) => (
              <tr key={`${line.at}-${index}`} data-testid="activity-line">
                <td title={dateTime(line.at)}>
                  {line.since !== undefined ? `${clock(line.since)} – ${clock(line.at)}` : clock(line.at)}
                </td>
                <td>
                  <span className={`badge ${tone[line.level] ?? ''}`}>{levelWords[line.level]}</span>
                </td>
                <td>{line.connection ?? ''}</td>
                <td className="wrap">{line.text}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {events.length === 0 && recent.result && <p>No log events at this level yet.</p>}
    </>
  );
}
