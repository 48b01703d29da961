// Dead letters: records the server refused for good; admins replay them (same idempotency key) or discard them.
import { useState } from 'react';
import { AdminButton, AdminHint } from '../common/admin-button.js';
import { ErrorBox } from '../common/error-box.js';
import { useAction, useLoad } from '../common/use-action.js';
import { useAgent } from '../shell/agent-store.js';
import { href, navigate, type Route } from '../shell/use-route.js';
import { RecordTable } from './record-table.js';
import { ConnectionSelect } from './records-page.js';
import { plural } from '../common/format.js';

export function DeadLettersPage({ route }: { route: Route }) {
  const { api, deadLetterVersion } = useAgent();
  const connection = route.params.get('connection') ?? '';
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [version, setVersion] = useState(0);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const list = useLoad(
    () => api.listDeadLetters(connection ? { connection } : {}),
    `${connection}|${deadLetterVersion}|${version}`,
  );
  const records = list.result?.records ?? [];
  const act = useAction(async (kind: 'replay' | 'discard', ids: number[]) => {
    const outcome =
      kind === 'replay' ? await api.replayDeadLetters({ ids }) : await api.discardDeadLetters({ ids });
    setSelected(new Set());
    setConfirmDiscard(false);
    setVersion((v) => v + 1);
    return { kind, ...outcome };
  });
  const toggle = (id: number) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };
  const chosen = [...selected];
  const all = records.map((r) => r.id);
  return (
    <>
      <h2>Dead letters</h2>
      <p className="hint">
        The server refused these records for good (4xx other than 408/409/425/429). Fix the cause, then
        replay: the record is sent again with its original idempotency key, so the server still applies it
        only once.
      </p>
      <AdminHint action="replaying or discarding dead letters" />
      <div className="toolbar">
        <ConnectionSelect
          value={connection}
          onChange={(id) => navigate(href('dead-letters', [], id ? { connection: id } : undefined))}
        />
        <AdminButton
          onClick={() => void act.run('replay', chosen)}
          disabled={chosen.length === 0 || act.pending}
        >
          Replay selected ({chosen.length})
        </AdminButton>
        <AdminButton
          className="primary"
          onClick={() => void act.run('replay', all)}
          disabled={all.length === 0 || act.pending}
        >
          Replay all ({all.length})
        </AdminButton>
        {confirmDiscard ? (
          <>
            <AdminButton
              className="danger"
              onClick={() => void act.run('discard', chosen)}
              disabled={act.pending}
            >
              Discard {chosen.length} for good
            </AdminButton>
            <button type="button" onClick={() => setConfirmDiscard(false)}>
              Keep them
            </button>
          </>
        ) : (
          <AdminButton
            className="danger"
            onClick={() => setConfirmDiscard(true)}
            disabled={chosen.length === 0}
          >
            Discard selected…
          </AdminButton>
        )}
      </div>
      <div aria-live="polite">
        {act.result && (
          <p className="message ok" data-testid="dead-letter-outcome">
            {act.result.kind === 'replay' ? 'Queued again' : 'Discarded'}:{' '}
            {plural(act.result.done.length, 'record')}
            {act.result.skipped.length > 0
              ? `; ${act.result.skipped.length} could not be replayed (no longer dead letters, or rejected at capture: fix them at the source or discard them)`
              : ''}
            .
          </p>
        )}
      </div>
      <ErrorBox error={act.error} title="Not done" />
      <ErrorBox error={list.error} title="Could not list the dead letters" />
      {list.result && records.length === 0 && (
        <p data-testid="no-dead-letters">No dead letters. Nothing needs a decision.</p>
      )}
      {records.length > 0 && (
        <RecordTable
          records={records}
          caption="Dead letters"
          selected={selected}
          onToggle={toggle}
          showError
        />
      )}
    </>
  );
}
