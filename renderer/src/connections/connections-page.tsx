// Connections: the list with pause / resume / remove, and the add / edit wizard (#/connections/new, #/connections/<id>/edit).
import { useState } from 'react';
import type { ConnectionView } from '../agent-api.js';
import { AdminButton, AdminHint } from '../common/admin-button.js';
import { ErrorBox } from '../common/error-box.js';
import { useAction, useLoad } from '../common/use-action.js';
import { useAgent } from '../shell/agent-store.js';
import { href, type Route } from '../shell/use-route.js';
import { MappingPage } from '../mapping/mapping-page.js';
import { ConnectionWizard } from './connection-wizard.js';

function ConnectionRow({ connection: c, onChanged }: { connection: ConnectionView; onChanged: () => void }) {
  const { api } = useAgent();
  const [confirming, setConfirming] = useState(false);
  const act = useAction(async (kind: 'pause' | 'resume' | 'remove') => {
    if (kind === 'pause') await api.pauseConnection({ id: c.id });
    else if (kind === 'resume') await api.resumeConnection({ id: c.id });
    else await api.removeConnection({ id: c.id });
    setConfirming(false);
    onChanged();
  });
  const state = c.paused ? 'paused' : (c.status?.health ?? (c.enabled ? 'starting' : 'disabled'));
  return (
    <tr data-testid={`connection-row-${c.id}`}>
      <th scope="row">
        {c.name}
        <div className="hint">{c.id}</div>
      </th>
      <td>
        {c.sourceType} → {c.destinationType}
      </td>
      <td>{state}</td>
      <td>
        <div className="row">
          <a className="button" href={href('connections', [c.id, 'edit'])}>
            Edit
          </a>
          <a className="button" href={href('connections', [c.id, 'mapping'])}>
            Mapping
          </a>
          {c.paused ? (
            <AdminButton onClick={() => void act.run('resume')} disabled={act.pending}>
              Resume
            </AdminButton>
          ) : (
            <AdminButton onClick={() => void act.run('pause')} disabled={act.pending}>
              Pause
            </AdminButton>
          )}
          {confirming ? (
            <>
              <AdminButton className="danger" onClick={() => void act.run('remove')} disabled={act.pending}>
                Confirm remove
              </AdminButton>
              <button type="button" onClick={() => setConfirming(false)}>
                Keep
              </button>
            </>
          ) : (
            <AdminButton className="danger" onClick={() => setConfirming(true)}>
              Remove
            </AdminButton>
          )}
          <a href={href('diagnostics', [], { doctor: c.id })}>Network doctor</a>
        </div>
        {confirming && (
          <p className="hint">Removing stops the connection; records waiting in the outbox are kept.</p>
        )}
        <ErrorBox error={act.error} />
      </td>
    </tr>
  );
}

function ConnectionList() {
  const { api } = useAgent();
  const [version, setVersion] = useState(0);
  const list = useLoad(() => api.listConnections(), String(version));
  return (
    <>
      <h2>Connections</h2>
      <AdminHint action="adding, changing, pausing or removing a connection" />
      <p>
        <a className="button primary" href={href('connections', ['new'])}>
          Add a connection
        </a>
      </p>
      <ErrorBox error={list.error} title="Could not list the connections" />
      {list.result && list.result.connections.length === 0 && <p>No connections are configured yet.</p>}
      {list.result && list.result.connections.length > 0 && (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">Configured connections</caption>
            <thead>
              <tr>
                <th scope="col">Connection</th>
                <th scope="col">Route</th>
                <th scope="col">State</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.result.connections.map((c) => (
                <ConnectionRow key={c.id} connection={c} onChanged={() => setVersion((v) => v + 1)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function EditConnection({ id }: { id: string }) {
  const { api } = useAgent();
  const found = useLoad(() => api.getConnection({ id }), id);
  if (found.error) return <ErrorBox error={found.error} title={`Could not load connection ${id}`} />;
  return found.result ? <ConnectionWizard existing={found.result} /> : <p>Loading…</p>;
}

export function ConnectionsPage({ route }: { route: Route }) {
  const [first, second] = route.parts;
  if (first === 'new') return <ConnectionWizard />;
  if (first !== undefined && second === 'edit') return <EditConnection key={first} id={first} />;
  if (first !== undefined && second === 'mapping') return <MappingPage key={first} id={first} />;
  return <ConnectionList />;
}
