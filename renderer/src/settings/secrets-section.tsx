// Secrets: names only; admins set a value (write-only, never shown again) or delete one.
import { useState, type FormEvent } from 'react';
import { AdminButton } from '../common/admin-button.js';
import { ErrorBox } from '../common/error-box.js';
import { errorText } from '../common/error-text.js';
import { FormField } from '../common/form-field.js';
import { useAction, useLoad } from '../common/use-action.js';
import { useAgent } from '../shell/agent-store.js';

export function SecretsSection() {
  const { api } = useAgent();
  const [version, setVersion] = useState(0);
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const list = useLoad(() => api.listSecretNames(), String(version));
  const set = useAction(async () => {
    const outcome = await api.setSecret({ name, value });
    setValue('');
    setVersion((v) => v + 1);
    return `${outcome.replaced ? 'Replaced' : 'Stored'} secret ${outcome.name}.`;
  });
  const remove = useAction(async (secret: string) => {
    await api.deleteSecret({ name: secret });
    setVersion((v) => v + 1);
    return `Deleted secret ${secret}.`;
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name && value) void set.run();
  };
  return (
    <section aria-labelledby="secrets-title" className="panel">
      <h3 id="secrets-title">Secrets</h3>
      <p className="hint">
        Values go into the secret store {list.result ? `(${list.result.store})` : ''} and are never shown
        again. Configs refer to them by name.
      </p>
      {list.error !== undefined && list.error !== null && errorText(list.error).code === 'unavailable' ? (
        <NoKeychain hint={errorText(list.error).hint} />
      ) : (
        <ErrorBox error={list.error} title="Could not list the secrets" />
      )}
      {list.result && (
        <table>
          <caption className="visually-hidden">Stored secrets</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {list.result.names.map((n) => (
              <tr key={n}>
                <th scope="row">{n}</th>
                <td>
                  <AdminButton
                    className="danger"
                    onClick={() => void remove.run(n)}
                    aria-label={`Delete secret ${n}`}
                  >
                    Delete
                  </AdminButton>
                </td>
              </tr>
            ))}
            {list.result.names.length === 0 && (
              <tr>
                <td colSpan={2}>No secrets stored yet.</td>
              </tr>
            )}
          </tbody>
        </table>
      )}
      <form onSubmit={submit} className="toolbar" aria-label="Set a secret">
        <FormField label="Secret name">
          {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} />}
        </FormField>
        <FormField label="Value">
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="off"
              value={value}
              onChange={(e) => setValue(e.target.value)}
            />
          )}
        </FormField>
        <AdminButton type="submit" className="primary" disabled={!name || !value || set.pending}>
          Set secret
        </AdminButton>
      </form>
      <div aria-live="polite">
        {(set.result ?? remove.result) && <p className="message ok">{set.result ?? remove.result}</p>}
      </div>
      <ErrorBox error={set.error ?? remove.error} />
    </section>
  );
}

/** No keychain on this machine (typical for a headless server): a calm note with the fix, not a failure of the page. */
function NoKeychain({ hint }: { hint: string | undefined }) {
  return (
    <div className="message info" role="status" data-testid="no-keychain">
      This machine has no OS keychain session, which is normal on a server without a desktop. Secrets can be
      kept in the encrypted file store instead.
      {hint && <div>How: {hint}</div>}
    </div>
  );
}
