// Turns connection facts into one health word and a plain-words summary ("All 3 connections in sync…").
import type { ConnectionStatus, OverallHealth } from '../../preload/contract/status.js';

type ConnectionFacts = Omit<ConnectionStatus, 'health' | 'reason'>;

export function connectionHealth(c: ConnectionFacts): { health: OverallHealth; reason?: string } {
  if (!c.enabled) return { health: 'stopped', reason: 'disabled in the config' };
  if (c.paused) return { health: 'stopped', reason: 'paused by an administrator' };
  if (c.source?.state === 'failed')
    return { health: 'attention', reason: `source: ${c.source.detail ?? 'failed'}` };
  if (c.dead > 0)
    return { health: 'attention', reason: `${c.dead} record(s) in the dead-letter queue need a decision` };
  if (c.source?.state === 'degraded')
    return { health: 'attention', reason: `source: ${c.source.detail ?? 'degraded'}` };
  const troubled = ['retrying', 'circuit-open'] as const;
  if (c.destination && (troubled as readonly string[]).includes(c.destination.state)) {
    return {
      health: 'attention',
      reason: `destination: ${c.destination.detail ?? c.destination.lastError ?? c.destination.state}`,
    };
  }
  const [warning] = c.warnings;
  if (warning !== undefined) return { health: 'attention', reason: warning };
  if (c.pending > 0 && c.destination && ['throttled', 'outside-window'].includes(c.destination.state))
    return {
      health: 'catching-up',
      reason: `${c.pending} record(s) waiting: ${c.destination.detail ?? c.destination.state}`,
    };
  if (c.source?.state === 'paused')
    return {
      health: 'catching-up',
      reason: c.source.detail ? `capture paused: ${c.source.detail}` : 'capture paused',
    };
  if (c.pending > 0) return { health: 'catching-up', reason: `${c.pending} record(s) waiting for delivery` };
  if (c.source?.state === 'stopped' || c.destination?.state === 'stopped') return { health: 'stopped' };
  return { health: 'in-sync' };
}

const rank: Record<OverallHealth, number> = { 'in-sync': 0, stopped: 1, 'catching-up': 2, attention: 3 };

/** A disabled (or stopping) connection says nothing about whether the running agent is in sync. */
export function overallHealth(connections: ConnectionStatus[], running: boolean): OverallHealth {
  if (!running) return 'stopped';
  return connections
    .filter((c) => c.health !== 'stopped')
    .reduce<OverallHealth>((worst, c) => (rank[c.health] > rank[worst] ? c.health : worst), 'in-sync');
}

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 90) return `${s} s ago`;
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  return `${Math.round(s / 3600)} h ago`;
}

export function summarize(connections: ConnectionStatus[], health: OverallHealth, now: number): string {
  const active = connections.filter((c) => c.enabled);
  if (health === 'stopped') return 'The agent is stopped.';
  if (active.length === 0) return 'No connections are configured yet.';
  const last = Math.max(0, ...active.map((c) => c.lastDeliveredAt ?? 0));
  const lastText = last > 0 ? `, last delivery ${ago(now - last)}` : '';
  const noun = active.length === 1 ? 'connection' : 'connections';
  if (health === 'in-sync') return `All ${active.length} ${noun} in sync${lastText}.`;
  const troubled = active.filter((c) => c.health === health);
  const words = health === 'attention' ? 'need attention' : 'catching up';
  const names = troubled.map((c) => `${c.name} (${c.reason ?? c.health})`).join('; ');
  return `${troubled.length} of ${active.length} ${noun} ${words}: ${names}${lastText}.`;
}
