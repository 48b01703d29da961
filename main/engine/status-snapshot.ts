// Assembles the AgentStatus snapshot from the outbox counters and each connection's live health.
import type { AgentStatus, ConnectionStatus, Notice } from '../../preload/contract/status.js';
import { logFileNotice, logFileTrouble } from '../observability/log-file-health.js';
import type { Outbox } from '../outbox/outbox.js';
import type { DiskForecast } from '../outbox/disk-forecast.js';
import type { ConnectionRuntime } from './build-connection.js';
import { connectionHealth, overallHealth, summarize } from './health.js';
import { apiNoticeWords } from '../alerts/api-notice-words.js';

export interface SnapshotInput {
  version: string;
  sandbox: boolean;
  dataDir: string;
  startedAt: number;
  state: AgentStatus['state'];
  notices: Notice[];
  capturePausedReason: string | undefined;
  connections: readonly ConnectionRuntime[];
  /** Paused by an admin. */
  paused: (id: string) => boolean;
  /** The status line of a connection's mapping (version, records skipped by its filter), when it has one. */
  mapping: (id: string) => string | undefined;
  /** The connection's last capture as the outbox remembers it (the source itself forgets it at a restart). */
  lastCapture?: (id: string) => number | undefined;
  outbox: Outbox;
  now: number;
  /** When the outbox reaches a limit at its current net growth (see disk-forecast.ts). */
  forecast?: DiskForecast | undefined;
}

const minute = 60_000;
const hour = 60 * minute;

function age(ms: number): string {
  return ms >= 2 * hour ? `${(ms / hour).toFixed(1)} h` : `${Math.round(ms / minute)} min`;
}

/** Old pending records: an alert condition past the configured age, a duplicate risk past the server's dedupe window. */
function pendingAgeWarnings(
  config: ConnectionRuntime['config'],
  oldestAt: number | undefined,
  now: number,
): string[] {
  if (oldestAt === undefined) return [];
  const pendingFor = now - oldestAt;
  const { dedupeWindowHours, maxPendingAgeMinutes } = config.destination;
  const warnings: string[] = [];
  if (pendingFor > maxPendingAgeMinutes * minute)
    warnings.push(
      `the oldest pending record has waited ${age(pendingFor)} (alert after ${maxPendingAgeMinutes} min)`,
    );
  if (pendingFor > dedupeWindowHours * hour)
    warnings.push(
      `a queued record is older than the server's ${dedupeWindowHours} h Idempotency-Key window: if an earlier attempt ` +
        `reached the server, it may no longer recognise the resend as a duplicate`,
    );
  return warnings;
}

function connectionStatus(
  runtime: ConnectionRuntime,
  outbox: Outbox,
  now: number,
  paused: boolean,
  mapping: string | undefined,
  lastCapture: number | undefined,
): ConnectionStatus {
  const { config } = runtime;
  const counts = outbox.counts(config.id);
  const live = runtime.source?.health();
  const lastCaptureAt = live?.lastCaptureAt ?? lastCapture;
  const source = live && lastCaptureAt !== undefined ? { ...live, lastCaptureAt } : live;
  const destination = runtime.dispatcher?.status();
  const facts: Omit<ConnectionStatus, 'health' | 'reason' | 'problems'> = {
    id: config.id,
    name: config.name ?? config.id,
    enabled: config.enabled,
    ...(paused ? { paused: true } : {}),
    ...(source
      ? { source: { type: runtime.source?.type ?? 'unknown', ...source, ...(mapping ? { mapping } : {}) } }
      : {}),
    ...(destination && runtime.destination
      ? {
          destination: {
            type: runtime.destination.type,
            label: runtime.destination.label,
            ...destination,
            ...(runtime.destination.warning ? { warning: runtime.destination.warning } : {}),
            ...(runtime.destination.describe ? { connection: runtime.destination.describe() } : {}),
          },
        }
      : {}),
    pending: counts.pending,
    pendingBytes: counts.pendingBytes,
    dead: counts.dead,
    warnings: [],
  };
  const oldest = outbox.oldestPendingAt(config.id);
  const lastDelivered = outbox.lastDeliveredAt(config.id);
  if (oldest !== undefined) facts.oldestPendingAt = oldest;
  facts.warnings = pendingAgeWarnings(config, oldest, now);
  if (destination?.apiNotice) facts.warnings.push(apiNoticeWords(destination.apiNotice, now));
  if (lastDelivered !== undefined) facts.lastDeliveredAt = lastDelivered;
  const nextRetry =
    counts.pending > 0 ? nextRetryAt(destination, outbox.nextDueAt(config.id), now) : undefined;
  if (nextRetry !== undefined) facts.nextRetryAt = nextRetry;
  if (runtime.error) {
    const problem = `Cannot start: ${runtime.error}`;
    return { ...facts, health: 'attention', reason: problem, problems: [problem] };
  }
  return { ...facts, ...connectionHealth(facts) };
}

/** Only while delivery waits after a failure: the latest of Retry-After, the circuit's probe and the record backoff. */
function nextRetryAt(
  destination:
    Pick<NonNullable<ConnectionStatus['destination']>, 'state' | 'holdUntil' | 'circuit'> | undefined,
  recordDueAt: number | undefined,
  now: number,
): number | undefined {
  if (!destination || !['retrying', 'throttled', 'circuit-open'].includes(destination.state))
    return undefined;
  const candidates = [destination.holdUntil, destination.circuit?.probeAt, recordDueAt].filter(
    (at): at is number => at !== undefined && at > now,
  );
  return candidates.length > 0 ? Math.max(...candidates) : undefined;
}

/** The log file that cannot be written (disk full) is a notice of its own while it lasts. */
function withLogFileNotice(notices: Notice[], now: number): Notice[] {
  const message = logFileNotice();
  const since = logFileTrouble()?.since ?? now;
  return message ? [...notices, { level: 'warn', at: since, message }] : notices;
}

export function buildSnapshot(input: SnapshotInput): AgentStatus {
  const connections = input.connections.map((c) =>
    connectionStatus(
      c,
      input.outbox,
      input.now,
      input.paused(c.config.id),
      input.mapping(c.config.id),
      input.lastCapture?.(c.config.id),
    ),
  );
  const running = input.state === 'running';
  const health = overallHealth(connections, running);
  const totals = input.outbox.counters.totals();
  return {
    version: input.version,
    pid: process.pid,
    sandbox: input.sandbox,
    dataDir: input.dataDir,
    startedAt: input.startedAt,
    updatedAt: input.now,
    state: input.state,
    health,
    summary: summarize(connections, health, input.now),
    notices: withLogFileNotice(input.notices, input.now),
    outbox: {
      pending: totals.pending,
      pendingBytes: totals.pendingBytes,
      dead: totals.dead,
      capturePaused: input.capturePausedReason !== undefined,
      ...(input.capturePausedReason ? { capturePausedReason: input.capturePausedReason } : {}),
      ...(input.forecast ? { forecast: input.forecast } : {}),
    },
    connections,
  };
}
