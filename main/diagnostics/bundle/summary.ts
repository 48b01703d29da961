// summary.txt: the first file support opens: every connection's state and every dead letter's reason, in plain text.
import { sandboxConnectionId } from '../../sandbox/sandbox-id.js';
import type { ConnectionStatistics, RecordSummary } from './outbox-report.js';

export interface SummaryInput {
  createdAt: number;
  agentVersion: string;
  agentPid: number | undefined;
  status: unknown;
  statistics: ConnectionStatistics[] | undefined;
  deadLetters: RecordSummary[] | undefined;
  notes: readonly string[];
}

interface StatusLike {
  health?: string;
  sandbox?: boolean;
  summary?: string;
  connections?: {
    id: string;
    health?: string;
    reason?: string;
    destination?: {
      state?: string;
      lastError?: string;
      holdUntil?: number;
      circuit?: { state?: string; reason?: string };
    };
  }[];
}

/** "1 record", "3 records" (main/engine's plain-words sits above this tier). */
const plural = (n: number, noun: string) => `${n} ${n === 1 ? noun : `${noun}s`}`;

const age = (ms: number) =>
  ms >= 2 * 3_600_000 ? `${(ms / 3_600_000).toFixed(1)} h` : `${Math.max(0, Math.round(ms / 60_000))} min`;

function connectionLines(stats: ConnectionStatistics, status: StatusLike, now: number): string[] {
  const live = status.connections?.find((c) => c.id === stats.connection);
  const destination = live?.destination;
  const histogram = Object.entries(stats.retryHistogram)
    .map(([attempts, n]) => `${plural(n, 'record')} after ${plural(Number(attempts), 'attempt')}`)
    .join(', ');
  return [
    `- ${stats.connection}: ${stats.pending} pending, ${stats.dead} dead` +
      (stats.oldestPendingAgeMs !== undefined ? `, oldest pending ${age(stats.oldestPendingAgeMs)}` : '') +
      (stats.lastDeliveredAt ? `, last delivery ${stats.lastDeliveredAt}` : ''),
    ...(live ? [`    health: ${live.health ?? '?'}${live.reason ? ` (${live.reason})` : ''}`] : []),
    ...(!live && stats.connection === sandboxConnectionId && status.sandbox !== true
      ? ['    the former sandbox: replaced by the config; nothing is sent, its records leave with retention']
      : []),
    ...(destination
      ? [
          `    destination: ${destination.state ?? '?'}` +
            (destination.circuit ? `, circuit ${destination.circuit.state ?? '?'}` : '') +
            (destination.circuit?.reason ? ` (${destination.circuit.reason})` : '') +
            (destination.holdUntil !== undefined && destination.holdUntil > now
              ? `, server asked to wait until ${new Date(destination.holdUntil).toISOString()}`
              : ''),
        ]
      : []),
    ...(destination?.lastError ? [`    last error: ${destination.lastError}`] : []),
    ...(histogram ? [`    retries: ${histogram}`] : []),
  ];
}

export function bundleSummary(input: SummaryInput): string {
  const status = (input.status ?? {}) as StatusLike;
  const lines = [
    `Integration agent diagnostics, agent ${input.agentVersion}, created ${new Date(input.createdAt).toISOString()}`,
    input.agentPid === undefined ? 'Agent: not running' : `Agent: running (pid ${input.agentPid})`,
    ...(status.summary ? [`Status: ${status.health ?? '?'}: ${status.summary}`] : []),
    '',
    'Connections:',
    ...(input.statistics?.length
      ? input.statistics.flatMap((s) => connectionLines(s, status, input.createdAt))
      : ['  (no records in the outbox)']),
    '',
    'Dead letters (newest first per connection; details in outbox/dead-letters.json):',
    ...(input.deadLetters?.length
      ? input.deadLetters.map(
          (d) =>
            `- record ${d.id} [${d.connection}] business key #${d.businessKeySha256 ?? 'none'}, ` +
            `idempotency key #${d.idempotencyKeySha256}, ${plural(d.attempts, 'attempt')}, dead since ${d.settledAt ?? '?'}: ${d.lastError ?? 'no reason recorded'}`,
        )
      : ['  (none)']),
    '',
    'Finding a record: keys appear as #<first 16 hex digits of their SHA-256>, e.g.',
    "  printf '%s' 'INV-1001' | sha256sum | cut -c1-16",
    'then search outbox/*.json for that hash; `integration-agent records find <key>` shows the same hash.',
    ...(input.notes.length ? ['', 'Notes:', ...input.notes.map((n) => `- ${n}`)] : []),
    '',
  ];
  return lines.join('\n');
}
