// Header control: shows the role and unlocks admin with the passphrase (or locks it again).
import { useState, type FormEvent } from 'react';
import { ErrorBox } from '../common/error-box.js';
import { useAction } from '../common/use-action.js';
import { useAgent } from './agent-store.js';

export function AdminUnlock() {
  const { api, role, adminUntil, setRole, link, now } = useAgent();
  const [passphrase, setPassphrase] = useState('');
  const [open, setOpen] = useState(false);
  const unlock = useAction(async () => {
    await api.unlockAdmin({ passphrase });
    setPassphrase('');
    const session = await api.session(); // the web console says when the admin role lapses
    setRole(session.role, session.adminUntil);
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
        {link === 'signed-out' ? 'Not signed in' : `Role: ${role}`}
      </span>
      {role === 'admin' && adminUntil !== undefined && (
        <span className="muted" data-testid="role-time-left">
          {timeLeft(adminUntil - now)}
        </span>
      )}
      {link === 'signed-out' ? null : role === 'admin' ? (
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

/** "14 min left" / "40 s left" until the admin role lapses without an admin action. */
function timeLeft(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds >= 60) return `admin for ${Math.ceil(seconds / 60)} min more`;
  return `admin for ${seconds} s more`;
}
