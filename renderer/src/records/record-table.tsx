// A table of record summaries (search results, dead letters), optionally with a selection column.
import type { RecordSummary } from '../agent-api.js';
import { ago } from '../common/format.js';
import { useAgent } from '../shell/agent-store.js';
import { href } from '../shell/use-route.js';

/** The file name or table/key the record came from, as one short text. */
export function originText(record: RecordSummary): string {
  if (!record.origin) return '';
  const { path, file, table, key } = record.origin;
  const name = path ?? file;
  if (name !== undefined) return String(name).split(/[\\/]/).pop() ?? String(name);
  return [table, key].filter((v) => v !== undefined).join(' ');
}

/** "v3" for a record a mapping made (or rejected), "as captured" for one stored as the source gave it. */
export function mappingText(record: RecordSummary): string {
  const version = record.origin?.mappingVersion;
  return version === undefined ? 'as captured' : `v${version}`;
}

interface RecordTableProps {
  records: RecordSummary[];
  caption: string;
  selected?: Set<number>;
  onToggle?: (id: number) => void;
  showError?: boolean;
}

export function RecordTable({ records, caption, selected, onToggle, showError }: RecordTableProps) {
  const { now } = useAgent();
  return (
    <div className="table-scroll">
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {onToggle && <th scope="col">Select</th>}
            <th scope="col">Record</th>
            <th scope="col">Connection</th>
            <th scope="col">Business key</th>
            <th scope="col">Origin</th>
            <th scope="col">Mapping</th>
            <th scope="col">State</th>
            <th scope="col">Captured</th>
            <th scope="col">Attempts</th>
            {showError && <th scope="col">Reason</th>}
          </tr>
        </thead>
        <tbody>
          {records.map((r) => (
            <tr key={r.id} data-testid={`record-row-${r.id}`}>
              {onToggle && (
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Select record ${r.id}`}
                    checked={selected?.has(r.id) ?? false}
                    onChange={() => onToggle(r.id)}
                  />
                </td>
              )}
              <th scope="row">
                <a href={href('records', [r.id])}>#{r.id}</a>
              </th>
              <td>{r.connection}</td>
              <td>{r.businessKey ?? '—'}</td>
              <td className="wrap">{originText(r)}</td>
              <td data-testid="record-mapping">{mappingText(r)}</td>
              <td>{r.state}</td>
              <td>{ago(r.capturedAt, now)}</td>
              <td>{r.attempts}</td>
              {showError && <td className="wrap">{r.lastError ?? ''}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
