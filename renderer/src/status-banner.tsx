// One health banner in plain words ("All 3 connections in sync, last delivery 12 s ago"), coloured by overall health.
import type { AgentStatus } from '../../preload/contract/status.js';

const healthWords: Record<AgentStatus['health'], string> = {
  'in-sync': 'In sync',
  'catching-up': 'Catching up',
  attention: 'Needs attention',
  stopped: 'Stopped',
};

export function StatusBanner({ status }: { status: AgentStatus }) {
  return (
    <section
      className={`banner health-${status.health}`}
      role="status"
      aria-live="polite"
      aria-label="Overall health"
      data-health={status.health}
    >
      <strong>{healthWords[status.health]}: </strong>
      {status.sandbox && <span>Sandbox · </span>}
      <span data-testid="health-summary">{status.summary}</span>
      {status.outbox.capturePaused && (
        <div>Capture is paused: {status.outbox.capturePausedReason ?? 'the outbox is full'}.</div>
      )}
      {status.outbox.forecast && (
        <div data-testid="outbox-forecast">Outbox: {status.outbox.forecast.message}.</div>
      )}
    </section>
  );
}
