// Header control: shows the role and unlocks admin with the passphrase (or locks it again).
import { useState, type FormEvent } from 'react';
import { ErrorBox } from '../common/error-box.js';
import { useAction } from '../common/use-action.js';
import { useAgent } from './agent-store.js';

export function AdminUnlock() {
  const { api, role, setRole } = useAgent();
  const [passphrase, setPassphrase] = useState('');
  const [open, setOpen] = useState(false);
  const unlock = useAction(async () => {
    const session = await api.unlockAdmin({ passphrase });
    setPassphrase('');
    setRole(session.role);
    setOpen(false);
    return session;
  });
  const lock = useAction(async () => setRole((await api.lockAdmin()).role));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void unlock.run();
  };

  return (
    <div className="unlock">
      <span className="badge" data-testid="role">
        Role: {role}
      </span>
      {role === 'admin' ? (
        <button type="button" onClick={() => void lock.run()}>
          Lock admin
        </button>
      ) : open ? (
        <form onSubmit={submit} className="unlock" aria-label="Unlock admin">
          <label htmlFor="admin-passphrase" className="visually-hidden">
            Admin passphrase
          </label>
          <input
            id="admin-passphrase"
            type="password"
            autoComplete="current-password"
            placeholder="Admin passphrase"
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
            autoFocus
          />
          <button type="submit" className="primary" disabled={unlock.pending || passphrase === ''}>
            Unlock
          </button>
          <button type="button" onClick={() => setOpen(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <button type="button" onClick={() => setOpen(true)}>
          Unlock admin
        </button>
      )}
      <ErrorBox error={unlock.error ?? lock.error} />
    </div>
  );
}
