// What changed between two status snapshots that is worth a desktop notification: new dead letters, circuits that opened.
import type { AgentStatus, ConnectionStatus } from '../../preload/contract/status.js';

export type DesktopEvent =
  | { kind: 'dead-letters'; connection: string; name: string; added: number; detail?: string }
  | { kind: 'circuit-open'; connection: string; name: string; reason?: string };

export type CircuitState = 'closed' | 'open' | 'half-open';

export function circuitState(c: ConnectionStatus): CircuitState {
  return c.destination?.circuit?.state ?? (c.destination?.state === 'circuit-open' ? 'open' : 'closed');
}

/**
 * The first snapshot (previous undefined) is the baseline: what was already there at start is shown by the
 * tray colour, not announced. A half-open circuit that fails its probe and opens again is not news either.
 */
export function detectDesktopEvents(previous: AgentStatus | undefined, next: AgentStatus): DesktopEvent[] {
  if (!previous) return [];
  const before = new Map(previous.connections.map((c) => [c.id, c]));
  const events: DesktopEvent[] = [];
  for (const c of next.connections) {
    const old = before.get(c.id);
    if (!old) continue; // a connection added while running starts its own baseline
    if (c.dead > old.dead) {
      const detail = c.destination?.lastError;
      events.push({
        kind: 'dead-letters',
        connection: c.id,
        name: c.name,
        added: c.dead - old.dead,
        ...(detail ? { detail } : {}),
      });
    }
    if (circuitState(c) === 'open' && circuitState(old) === 'closed') {
      const reason = c.destination?.circuit?.reason ?? c.destination?.detail;
      events.push({ kind: 'circuit-open', connection: c.id, name: c.name, ...(reason ? { reason } : {}) });
    }
  }
  return events;
}

/** A held event that the status no longer backs (dead letters replayed, circuit closed again) is dropped unshown. */
export function isStillRelevant(event: DesktopEvent, status: AgentStatus): boolean {
  const c = status.connections.find((x) => x.id === event.connection);
  if (!c) return false;
  return event.kind === 'dead-letters' ? c.dead > 0 : circuitState(c) !== 'closed';
}
