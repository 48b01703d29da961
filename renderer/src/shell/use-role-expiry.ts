// Re-reads the session when an admin role is due to lapse (and every 30 s while admin), so the header drops to viewer without a reload.
import { useEffect } from 'react';
import type { Role } from '../agent-api.js';

const recheckEveryMs = 30_000;

/** Admin actions extend the role on the agent and clocks may differ, so the page asks instead of assuming. */
export function useRoleExpiry(role: Role, adminUntil: number | undefined, reload: () => void): void {
  useEffect(() => {
    if (role !== 'admin' || adminUntil === undefined) return;
    const due = window.setTimeout(reload, Math.max(0, adminUntil - Date.now()) + 250);
    const every = window.setInterval(reload, recheckEveryMs);
    return () => {
      window.clearTimeout(due);
      window.clearInterval(every);
    };
  }, [role, adminUntil, reload]);
}
