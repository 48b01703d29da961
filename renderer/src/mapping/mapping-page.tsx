// #/connections/<id>/mapping: edit a connection's mapping with the live preview, and save it as a new version.
import { useState } from 'react';
import type { ConnectionView } from '../agent-api.js';
import { AdminButton, AdminHint } from '../common/admin-button.js';
import { ErrorBox } from '../common/error-box.js';
import { FormField } from '../common/form-field.js';
import { useAction, useLoad } from '../common/use-action.js';
import { useAgent } from '../shell/agent-store.js';
import { href } from '../shell/use-route.js';
import { draftArg, draftFromConfig, versionOf } from './mapping-draft.js';
import { MappingEditor } from './mapping-editor.js';

function historyOf(mapping: unknown): { version: number; note?: string }[] {
  const history = (mapping as { history?: unknown } | undefined)?.history;
  return Array.isArray(history) ? (history as { version: number; note?: string }[]) : [];
}

function EditMapping({ connection, onSaved }: { connection: ConnectionView; onSaved: () => void }) {
  const { api } = useAgent();
  const saved = connection.config.mapping;
  const current = versionOf(saved);
  const [draft, setDraft] = useState(() => draftFromConfig(saved));
  const [note, setNote] = useState('');
  const save = useAction(async () => {
    const arg = draftArg(draft);
    if (!('mapping' in arg)) throw new Error(`Conversions ${arg.convertProblem}`);
    const result = await api.saveMapping({
      connection: connection.id,
      mapping: arg.mapping,
      basedOnVersion: current,
      ...(note.trim() ? { note: note.trim() } : {}),
    });
    setNote('');
    onSaved();
    return result;
  });
  return (
    <>
      <p data-testid="mapping-version">
        {current > 0 ? `Active: mapping v${current}` : 'Sent as captured (no mapping yet)'}
        {historyOf(saved).length > 0 && (
          <span className="hint">
            {' '}
            · earlier:{' '}
            {historyOf(saved)
              .map((h) => `v${h.version}${h.note ? ` (${h.note})` : ''}`)
              .join(', ')}
          </span>
        )}
      </p>
      <MappingEditor connection={connection.id} draft={draft} onDraft={setDraft} />
      <section aria-labelledby="save-title" className="panel">
        <h3 id="save-title">Save as v{current + 1}</h3>
        <p className="hint">
          Saving adds a new version; v{current || 1} stays in the history so each record&apos;s version can be
          looked up. Records already queued are sent as they were stored. The connection restarts with the new
          mapping.
        </p>
        {current > 0 && (
          <FormField label={`Why v${current} is replaced (optional)`}>
            {(p) => <input {...p} value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />}
          </FormField>
        )}
        <AdminButton className="primary" onClick={() => void save.run()} disabled={save.pending}>
          Save as new version
        </AdminButton>
        {save.result && (
          <p className="message ok" role="status">
            Saved as mapping v{save.result.version}.
          </p>
        )}
        <ErrorBox error={save.error} title="Not saved" />
      </section>
    </>
  );
}

export function MappingPage({ id }: { id: string }) {
  const { api } = useAgent();
  const [version, setVersion] = useState(0);
  const found = useLoad(() => api.getConnection({ id }), `${id}-${version}`);
  return (
    <section aria-labelledby="mapping-title">
      <h2 id="mapping-title">Mapping of {found.result?.name ?? id}</h2>
      <p>
        <a href={href('connections')}>Back to connections</a>
      </p>
      <AdminHint action="previewing and saving a mapping" />
      <ErrorBox error={found.error} title={`Could not load connection ${id}`} />
      {found.result && <EditMapping connection={found.result} onSaved={() => setVersion((v) => v + 1)} />}
    </section>
  );
}
