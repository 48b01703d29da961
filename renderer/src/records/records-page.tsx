// Records: search by business key, idempotency key or file name; #/records/<id> shows one record's timeline.
import { useState, type FormEvent } from 'react';
import { ErrorBox } from '../common/error-box.js';
import { FormField } from '../common/form-field.js';
import { useLoad } from '../common/use-action.js';
import { useAgent } from '../shell/agent-store.js';
import { href, navigate, type Route } from '../shell/use-route.js';
import { RecordTable } from './record-table.js';
import { RecordTimelineView } from './record-timeline.js';
import { plural } from '../common/format.js';

export function ConnectionSelect({ value, onChange }: { value: string; onChange: (id: string) => void }) {
  const { status } = useAgent();
  return (
    <FormField label="Connection">
      {(p) => (
        <select {...p} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">All connections</option>
          {status?.connections.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      )}
    </FormField>
  );
}

function RecordSearch({ query, connection }: { query: string; connection: string }) {
  const { api } = useAgent();
  const [text, setText] = useState(query);
  const [scope, setScope] = useState(connection);
  const results = useLoad(
    () =>
      query === ''
        ? Promise.resolve(undefined)
        : api.searchRecords({ query, ...(connection ? { connection } : {}) }),
    `${query}|${connection}`,
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate(href('records', [], { q: text, ...(scope ? { connection: scope } : {}) }));
  };
  return (
    <>
      <h2>Records</h2>
      <form className="toolbar" role="search" onSubmit={submit} aria-label="Search records">
        <FormField label="Business key, file name or idempotency key">
          {(p) => (
            <input {...p} type="search" value={text} onChange={(e) => setText(e.target.value)} size={36} />
          )}
        </FormField>
        <ConnectionSelect value={scope} onChange={setScope} />
        <button type="submit" className="primary">
          Search
        </button>
      </form>
      <ErrorBox error={results.error} title="Search failed" />
      <div aria-live="polite">
        {query === '' && (
          <p className="hint">
            Type the start of a business key (for files: the file name) or a whole idempotency key.
          </p>
        )}
        {results.result && (
          <p className="hint">
            {results.result.records.length === 0
              ? `No records match “${query}”.`
              : `${plural(results.result.records.length, 'record')} matching “${query}”.`}
          </p>
        )}
      </div>
      {results.result && results.result.records.length > 0 && (
        <RecordTable records={results.result.records} caption="Matching records" />
      )}
    </>
  );
}

export function RecordsPage({ route }: { route: Route }) {
  const id = Number(route.parts[0]);
  if (Number.isInteger(id) && id > 0) return <RecordTimelineView id={id} />;
  const query = route.params.get('q') ?? '';
  const connection = route.params.get('connection') ?? '';
  return <RecordSearch key={`${query}|${connection}`} query={query} connection={connection} />;
}
