// Renders a status snapshot as plain text for the terminal.
import type { AgentStatus } from '../../preload/contract/status.js';

/** What `status` reports when no agent runs: the outbox's waiting and dead records per connection. */
export interface StoppedStatus {
  state: 'not-running';
  dataDir: string;
  connections: { id: string; pending: number; pendingBytes: number; dead: number }[];
}

const bytes = (n: number) =>
  n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 ** 2).toFixed(1)} MB`;
const age = (at: number | undefined, now: number) =>
  at === undefined ? '-' : `${Math.max(0, Math.round((now - at) / 1000))} s ago`;

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function formatStatus(status: AgentStatus | StoppedStatus, now: number): string {
  if (status.state === 'not-running') {
    const lines = [`Agent is not running (data dir ${status.dataDir}).`];
    if (status.connections.length === 0) lines.push('Nothing is waiting for delivery.');
    else {
      lines.push(
        table([
          ['CONNECTION', 'PENDING', 'BYTES', 'DEAD'],
          ...status.connections.map((c) => [c.id, String(c.pending), bytes(c.pendingBytes), String(c.dead)]),
        ]),
      );
    }
    return `${lines.join('\n')}\n`;
  }
  const lines = [
    `integration-agent ${status.version}: ${status.state} (pid ${status.pid})${status.sandbox ? ', SANDBOX' : ''}, data dir ${status.dataDir}`,
    `Health: ${status.health}. ${status.summary}`,
    `Outbox: ${status.outbox.pending} pending (${bytes(status.outbox.pendingBytes)}), ${status.outbox.dead} dead` +
      (status.outbox.capturePaused ? `; capture paused: ${status.outbox.capturePausedReason ?? ''}` : '') +
      (status.outbox.forecast ? `; ${status.outbox.forecast.message}` : ''),
  ];
  if (now - status.updatedAt > 15_000)
    lines.push(`(snapshot is ${age(status.updatedAt, now)}: the agent may be stuck)`);
  for (const n of status.notices) lines.push(`${n.level.toUpperCase()}: ${n.message}`);
  lines.push(
    '',
    table([
      ['CONNECTION', 'HEALTH', 'SOURCE', 'DESTINATION', 'PENDING', 'DEAD', 'LAST DELIVERY'],
      ...status.connections.map((c) => [
        c.id,
        c.health,
        c.source ? `${c.source.type} ${c.source.state}` : '-',
        c.destination ? `${c.destination.state} ${c.destination.label}` : '-',
        String(c.pending),
        String(c.dead),
        age(c.lastDeliveredAt, now),
      ]),
    ]),
  );
  for (const c of status.connections) {
    if (c.reason) lines.push(`  ${c.id}: ${c.reason}`);
    if (c.source) lines.push(`  ${c.id} guarantee: ${c.source.guarantee}`);
    if (c.source?.mapping) lines.push(`  ${c.id} ${c.source.mapping}`);
    const slot = c.source?.replicationSlot;
    if (slot) {
      const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
      lines.push(
        `  ${c.id} slot ${slot.name}: ${mb(slot.retainedBytes)} WAL retained, ${mb(slot.lagBytes)} unconfirmed ` +
          `(alert past ${mb(slot.alertBytes)})${slot.active ? '' : ', not streaming'}`,
      );
    }
    const d = c.destination;
    if (d?.circuit && d.circuit.state !== 'closed')
      lines.push(`  ${c.id} circuit ${d.circuit.state}: ${d.circuit.reason ?? ''}`);
    if (d?.detail && d.state !== 'sending') lines.push(`  ${c.id} destination: ${d.detail}`);
    if (d?.warning) lines.push(`  ${c.id} WARNING: ${d.warning}`);
    for (const warning of c.warnings) lines.push(`  ${c.id} WARNING: ${warning}`);
  }
  return `${lines.join('\n')}\n`;
}
