// `integration-agent connections list`: each connection's source → destination, state, pending and dead counts.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AgentStatus } from '../../preload/contract/status.js';
import { destinationConnectorFor, sourceConnectorFor } from '../../connectors/registry.js';
import { outboxStatistics, type ConnectionStatistics } from '../diagnostics/bundle/outbox-report.js';
import { OutboxAccessError, openOutboxReadOnly, runningAgentPid } from '../diagnostics/bundle/open-outbox.js';
import { createRedactor } from '../diagnostics/redaction.js';
import { sandboxConnectionId } from '../sandbox/sandbox-id.js';
import { defaultDataDir, outboxFile, statusFile } from '../shared/data-dir.js';
import { CliError, exitCodes } from './cli-error.js';
import { resolveSetup, type SetupOptions } from './resolve-setup.js';

/** The data directory a support command reads; it must exist. */
export function supportDataDir(dataDir: string | undefined): string {
  const dir = resolve(dataDir ?? defaultDataDir());
  if (!existsSync(dir)) {
    throw new CliError(
      `no agent data directory at ${dir}. Hint: pass the --data-dir the agent runs with`,
      exitCodes.dataDirUnusable,
    );
  }
  return dir;
}

/** Runs outbox work, turning an unusable outbox into one line plus a hint and exit code 4. */
export function withOutboxErrors<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof OutboxAccessError) throw new CliError(error.message, exitCodes.dataDirUnusable);
    const code = (error as { code?: unknown }).code;
    if (code === 'SQLITE_BUSY') {
      throw new CliError(
        'the outbox stayed locked by the agent for 5 s. Hint: retry in a moment; a long backlog being settled can hold it',
        exitCodes.failure,
      );
    }
    throw error;
  }
}

/** The running agent's status.json, when an agent is running on the data directory. */
export function liveStatus(dataDir: string): AgentStatus | undefined {
  if (runningAgentPid(dataDir) === undefined || !existsSync(statusFile(dataDir))) return undefined;
  try {
    return JSON.parse(readFileSync(statusFile(dataDir), 'utf8')) as AgentStatus;
  } catch {
    return undefined; // being replaced right now
  }
}

export interface ConnectionRow {
  id: string;
  name: string;
  source: string;
  destination: string;
  state: string;
  destinationState?: string;
  pending: number;
  pendingBytes: number;
  dead: number;
  oldestPendingAt?: string;
}

export async function connectionRows(options: SetupOptions): Promise<ConnectionRow[]> {
  const setup = await resolveSetup(options);
  const dataDir = supportDataDir(setup.dataDir);
  const redact = createRedactor();
  const stats = existsSync(outboxFile(dataDir))
    ? withOutboxErrors(() => {
        const outbox = openOutboxReadOnly(dataDir);
        try {
          return outboxStatistics(outbox, Date.now());
        } finally {
          outbox.close();
        }
      })
    : [];
  const status = liveStatus(dataDir);
  const configs = setup.config?.connections ?? [];
  const ids = [...new Set([...configs.map((c) => c.id), ...stats.map((s) => s.connection)])];
  return ids.map((id) => {
    const config = configs.find((c) => c.id === id);
    const counts = stats.find((s) => s.connection === id);
    const live = status?.connections.find((c) => c.id === id);
    if (!config && !live && id === sandboxConnectionId && setup.config?.sandbox !== true)
      return formerSandbox(id, counts);
    return {
      id,
      name: config?.name ?? live?.name ?? id,
      source: redact(
        config
          ? sourceConnectorFor(config.source).label(config.source)
          : live?.source
            ? [live.source.type, live.source.mode].filter(Boolean).join(' ')
            : '(removed from the config; its history is kept)',
      ),
      destination: redact(
        config
          ? destinationConnectorFor(config.destination).label(config.destination)
          : (live?.destination?.label ?? '(nothing is sent)'),
      ),
      state:
        live?.health ?? (status ? (config?.enabled === false ? 'disabled' : 'unknown') : 'agent not running'),
      ...(live?.destination ? { destinationState: live.destination.state } : {}),
      pending: counts?.pending ?? 0,
      pendingBytes: counts?.pendingBytes ?? 0,
      dead: counts?.dead ?? 0,
      ...(counts?.oldestPendingAt ? { oldestPendingAt: counts.oldestPendingAt } : {}),
    };
  });
}

/** The sandbox's history after the first real connection replaced it: said as such, nothing else runs it. */
function formerSandbox(id: string, counts: ConnectionStatistics | undefined): ConnectionRow {
  return {
    id,
    name: 'the former sandbox',
    source: 'sandbox inbox (replaced by your config)',
    destination: 'nothing is sent; its records leave with retention',
    state: 'replaced',
    pending: counts?.pending ?? 0,
    pendingBytes: counts?.pendingBytes ?? 0,
    dead: counts?.dead ?? 0,
  };
}

/** Aligned text columns. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

export async function connectionsListCommand(options: SetupOptions & { json?: boolean }): Promise<void> {
  const rows = await connectionRows(options);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  if (rows.length === 0) {
    process.stderr.write('No connections: the config has none and the outbox holds no records.\n');
    return;
  }
  process.stdout.write(
    formatTable(
      ['ID', 'SOURCE → DESTINATION', 'STATE', 'PENDING', 'DEAD'],
      rows.map((r) => [
        r.id,
        `${r.source} → ${r.destination}`,
        r.destinationState ? `${r.state} (${r.destinationState})` : r.state,
        String(r.pending),
        String(r.dead),
      ]),
    ),
  );
}
