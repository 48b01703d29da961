// Turns connection facts into one health word and every problem in plain words, worst first, plus the summary line.
import type { ConnectionStatus, OverallHealth } from '../../preload/contract/status.js';
import { clockTime, plural } from './plain-words.js';

type ConnectionFacts = Omit<ConnectionStatus, 'health' | 'reason' | 'problems'>;
type Problem = { health: Exclude<OverallHealth, 'in-sync' | 'stopped'>; text: string };

export interface ConnectionHealth {
  health: OverallHealth;
  /** Every problem, worst first, joined into one line (what a banner or a card's reason line shows). */
  reason?: string;
  problems?: string[];
}

function waitingRecords(c: ConnectionFacts): string {
  return `${plural(c.pending, 'record')} waiting`;
}

/** "Cannot deliver to POST https://api… since 10:42 (ECONNREFUSED …); 3 records waiting, next try 10:47". */
function deliveryProblem(c: ConnectionFacts): string | undefined {
  const d = c.destination;
  if (!d || (d.state !== 'retrying' && d.state !== 'circuit-open')) return undefined;
  const since = d.circuit?.openedAt ?? d.lastErrorAt;
  const circuitReason =
    d.circuit?.state === 'open' && d.circuit.reason ? `circuit open: ${d.circuit.reason}` : undefined;
  const why = circuitReason ?? d.detail ?? d.lastError;
  const next = d.circuit?.probeAt ?? d.holdUntil;
  return (
    `Cannot deliver to ${d.label}${since !== undefined ? ` since ${clockTime(since)}` : ''}` +
    `${why ? ` (${why})` : ''}` +
    `${c.pending > 0 ? `; ${waitingRecords(c)}` : ''}` +
    `${next !== undefined ? `, next try ${clockTime(next)}` : ''}`
  );
}

/** Work noticed at the source but not captured yet: "1,408 files waiting at the source (oldest 49 s)". */
function sourceBacklog(c: ConnectionFacts): string | undefined {
  const waiting = c.source?.waiting;
  if (!waiting || waiting.count === 0) return undefined;
  const lag = c.source?.lagMs;
  const oldest = lag !== undefined && lag >= 1000 ? ` (oldest ${Math.round(lag / 1000)} s)` : '';
  return `${plural(waiting.count, waiting.unit)} waiting at the source${oldest}`;
}

function problemsOf(c: ConnectionFacts): Problem[] {
  const problems: Problem[] = [];
  const add = (health: Problem['health'], text: string | undefined) => {
    if (text) problems.push({ health, text });
  };
  const source = c.source;
  if (source?.state === 'failed') add('attention', `Capture failed: ${source.detail ?? 'no detail'}`);
  const outage = deliveryProblem(c);
  add('attention', outage);
  if (source?.state === 'degraded') add('attention', `Capture degraded: ${source.detail ?? 'no detail'}`);
  if (c.dead > 0)
    add(
      'attention',
      `${plural(c.dead, 'record')} in the dead-letter queue ${c.dead === 1 ? 'needs' : 'need'} a decision`,
    );
  for (const warning of c.warnings) add('attention', warning);
  const d = c.destination;
  const held = d && (d.state === 'throttled' || d.state === 'outside-window');
  if (c.pending > 0 && held) add('catching-up', `${waitingRecords(c)}: ${d.detail ?? d.state}`);
  if (source?.state === 'paused')
    add('catching-up', source.detail ? `Capture paused: ${source.detail}` : 'Capture paused');
  add('catching-up', sourceBacklog(c));
  // The outage and the held destination already say how many records wait.
  if (c.pending > 0 && !outage && !held) add('catching-up', `${waitingRecords(c)} for delivery`);
  return problems;
}

export function connectionHealth(c: ConnectionFacts): ConnectionHealth {
  if (!c.enabled) return { health: 'stopped', reason: 'disabled in the config' };
  if (c.paused) return { health: 'stopped', reason: 'paused by an administrator' };
  const problems = problemsOf(c);
  if (problems.length > 0) {
    const health = problems.some((p) => p.health === 'attention') ? 'attention' : 'catching-up';
    const texts = problems.map((p) => p.text);
    return { health, reason: texts.join('; '), problems: texts };
  }
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
  if (health === 'in-sync')
    return active.length === 1
      ? `The connection is in sync${lastText}.`
      : `All ${active.length} ${noun} in sync${lastText}.`;
  const troubled = active.filter((c) => c.health === health);
  const one = troubled.length === 1;
  const words =
    health === 'attention'
      ? one
        ? 'needs attention'
        : 'need attention'
      : one
        ? 'is catching up'
        : 'are catching up';
  const names = troubled.map((c) => `${c.name} (${c.reason ?? c.health})`).join('; ');
  return `${troubled.length} of ${active.length} ${noun} ${words}: ${names}${lastText}.`;
}
