// One health banner in plain words, coloured by overall health.
import type { AgentStatus, OverallHealth } from '../../preload/contract/status.js';

const colours: Record<OverallHealth, string> = {
  'in-sync': '#2ea043',
  'catching-up': '#1f6feb',
  attention: '#d29922',
  stopped: '#6e7681',
};

export function StatusBanner({ status }: { status: AgentStatus }) {
  return (
    <section
      role="status"
      aria-live="polite"
      style={{ borderLeft: `6px solid ${colours[status.health]}`, padding: '8px 12px' }}
    >
      {status.sandbox && <strong>SANDBOX · </strong>}
      {status.summary}
    </section>
  );
}
