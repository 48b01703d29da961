// The header: product name, sandbox marker, admin unlock with the current role, theme switch.
import { AdminUnlock } from './admin-unlock.js';
import { useAgent } from './agent-store.js';
import { ThemeToggle } from './theme-toggle.js';

export function AppHeader() {
  const { status } = useAgent();
  return (
    <header className="app-header">
      <h1>
        Integration agent
        {status?.sandbox && <span className="badge"> sandbox</span>}
      </h1>
      <AdminUnlock />
      <ThemeToggle />
    </header>
  );
}
