// The diagnostic bundle: an allowlist of redacted files (manifest, summary, system, config, status, outbox, logs, doctor).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { AgentStatus } from '../../../preload/contract/status.js';
import type { AgentConfig } from '../../config/schema.js';
import { OlderSchemaError } from '../../outbox/migrate.js';
import { Outbox } from '../../outbox/outbox.js';
import { writeFileAtomically } from '../../shared/atomic-write.js';
import { logDir, statusFile } from '../../shared/data-dir.js';
import { agentVersion } from '../../version.js';
import { createRedactor, redactJson, type Redactor } from '../redaction.js';
import { capturedFileNames, withHashedFileNames } from './file-names.js';
import { runPart } from './deadline.js';
import { readLogTail } from './log-files.js';
import { supportBusyTimeoutMs, runningAgentPid } from './open-outbox.js';
import {
  deadLetterSummaries,
  outboxStatistics,
  recentAudit,
  recentTimelines,
  type ConnectionStatistics,
  type RecordSummary,
} from './outbox-report.js';
import { defaultBundleMaxBytes, defaultBundleTimeoutMs } from './bundle-limits.js';
import { bundleSummary } from './summary.js';
import { machineIdHash, systemInfo } from './system-info.js';
import { zipFiles } from './zip.js';

export { keyHash } from './outbox-report.js';

export interface BundleInput {
  dataDir: string;
  /** The effective config; undefined when the agent runs the sandbox or no config was found. */
  config?: AgentConfig;
  /** The engine's open Outbox, or the outbox file to open read-only (missing file: the outbox part is skipped). */
  outbox: Outbox | string;
  /** The live status; without it the data directory's status.json is used. */
  status?: AgentStatus;
  /** Values known to the secret store: removed wherever they appear (also URL-encoded and base64). */
  secretValues: string[];
  /** The network doctor (its JSON is included, redacted). */
  doctor?: () => Promise<unknown>;
  /** Upper bound of the files' total size; logs are trimmed first. Default 25 MiB. */
  maxBytes?: number;
  /** Upper bound of the time spent collecting; a slow part is skipped with a note. Default 30 s. */
  timeoutMs?: number;
  /** Added to the config's diagnostics.redactPatterns. */
  extraPatterns?: (string | RegExp)[];
  /** Newest dead letters per connection (default 50) and last captured records (default 50) with timelines. */
  deadLettersPerConnection?: number;
  recentRecords?: number;
  /** Notes from the caller (e.g. the secret store could not be read), shown in the manifest and summary. */
  notes?: string[];
  now?: () => number;
}

export interface BundleFile {
  name: string;
  bytes: number;
  sha256: string;
  /** The beginning of the (redacted) content, for a preview before saving. */
  sample: string;
}

export interface DiagnosticBundle {
  files: BundleFile[];
  totalBytes: number;
  /** What was trimmed, skipped or could not be collected. */
  notes: string[];
  writeTo(path: string): Promise<void>;
}

const sampleChars = 600;
/** Room kept for manifest.json and summary.txt, which are written last. */
const reservedBytes = 64 * 1024;

interface Collected {
  name: string;
  content: Buffer;
}

const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');

function jsonFile(name: string, value: unknown, redact: Redactor): Collected {
  return { name, content: Buffer.from(`${JSON.stringify(redactJson(value, redact), null, 2)}\n`) };
}

function readStatusFile(dataDir: string): { status: unknown; note?: string } | undefined {
  const file = statusFile(dataDir);
  if (!existsSync(file)) return undefined;
  const status = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  return {
    status,
    note: `status.json is the agent's file from ${statSync(file).mtime.toISOString()}`,
  };
}

function openOutbox(source: Outbox | string): { outbox?: Outbox; owned: boolean; note?: string } {
  if (typeof source !== 'string') return { outbox: source, owned: false };
  if (!existsSync(source)) return { owned: false, note: `no outbox at ${source}: outbox files left out` };
  try {
    const outbox = Outbox.open(source, {
      synchronous: 'NORMAL',
      busyTimeoutMs: supportBusyTimeoutMs,
      readonly: true,
    });
    return { outbox, owned: true };
  } catch (error) {
    // Support may collect a bundle before the new version ever ran: the rest of the bundle is still worth having.
    if (error instanceof OlderSchemaError)
      return { owned: false, note: `${error.message} (outbox files left out)` };
    throw error;
  }
}

/** Collects, redacts and bounds every part; nothing is written until `writeTo`. */
export async function buildDiagnosticBundle(input: BundleInput): Promise<DiagnosticBundle> {
  const now = input.now ?? Date.now;
  const startedAt = now();
  const timeoutMs = input.timeoutMs ?? defaultBundleTimeoutMs;
  const maxBytes = input.maxBytes ?? defaultBundleMaxBytes;
  const left = () => startedAt + timeoutMs - now();
  const extraPatterns = [...(input.config?.diagnostics.redactPatterns ?? []), ...(input.extraPatterns ?? [])];
  let redact = createRedactor({ secretValues: input.secretValues, extraPatterns });
  const notes: string[] = (input.notes ?? []).map(redact);
  const files: Collected[] = [];
  const part = async <T>(what: string, work: () => Promise<T> | T): Promise<T | undefined> => {
    const outcome = await runPart(what, left(), work);
    if (outcome.ok) return outcome.value;
    notes.push(redact(outcome.note));
    return undefined;
  };

  const opened = await part('outbox', () => openOutbox(input.outbox));
  if (opened?.note) notes.push(redact(opened.note));
  const outbox = opened?.outbox;
  if (outbox && (input.config?.diagnostics.hashFileNames ?? true)) {
    const names = await part('file names', () => capturedFileNames(outbox));
    if (names) redact = withHashedFileNames(redact, names);
  }
  let statistics: ConnectionStatistics[] | undefined;
  let deadLetters: RecordSummary[] | undefined;
  let status: unknown;
  try {
    const sqlite = outbox?.db.prepare('SELECT sqlite_version()').pluck().get() as string | undefined;
    await part('system information', () =>
      files.push(jsonFile('system.json', systemInfo(input.dataDir, agentVersion, sqlite), redact)),
    );
    await part('config', () =>
      files.push(
        jsonFile(
          'config.json',
          input.config ?? { note: 'no config file: the agent runs the sandbox' },
          redact,
        ),
      ),
    );
    status = await part('status', () => {
      if (input.status) return input.status;
      const fromFile = readStatusFile(input.dataDir);
      if (!fromFile) {
        notes.push('no status.json: the agent has not run on this data directory');
        return undefined;
      }
      if (fromFile.note) notes.push(redact(fromFile.note));
      return fromFile.status;
    });
    if (status !== undefined) files.push(jsonFile('status.json', status, redact));
    if (outbox) {
      statistics = await part('outbox statistics', () => outboxStatistics(outbox, now()));
      if (statistics) files.push(jsonFile('outbox/statistics.json', statistics, redact));
      deadLetters = await part('dead letters', () =>
        deadLetterSummaries(outbox, input.deadLettersPerConnection ?? 50, redact),
      );
      if (deadLetters) files.push(jsonFile('outbox/dead-letters.json', deadLetters, redact));
      const recent = await part('recent records', () =>
        recentTimelines(outbox, input.recentRecords ?? 50, redact),
      );
      if (recent) files.push(jsonFile('outbox/recent-records.json', recent, redact));
      const audit = await part('audit log', () => recentAudit(outbox, 100, redact));
      if (audit) files.push(jsonFile('outbox/audit.json', audit, redact));
    }
  } finally {
    if (opened?.owned) outbox?.close();
  }
  if (input.doctor) {
    const doctor = input.doctor;
    const report = await part('network doctor', () => doctor());
    if (report !== undefined) files.push(jsonFile('doctor.json', report, redact));
  }

  const used = files.reduce((sum, f) => sum + f.content.length, 0);
  const logs = await part('logs', () =>
    readLogTail(logDir(input.dataDir), maxBytes - used - reservedBytes, 200, redact),
  );
  if (logs) {
    notes.push(...logs.notes.map(redact));
    files.push(jsonFile('errors.json', logs.errors, redact));
    for (const log of logs.files) files.push({ name: log.name, content: Buffer.from(log.text) });
  }
  enforceSize(files, maxBytes - reservedBytes, notes);

  const summary = redact(
    bundleSummary({
      createdAt: startedAt,
      agentVersion,
      agentPid: runningAgentPid(input.dataDir),
      status,
      statistics,
      deadLetters,
      notes,
    }),
  );
  const ordered = [{ name: 'summary.txt', content: Buffer.from(summary) }, ...files];
  const manifest = {
    format: 'integration-agent-diagnostics/1',
    agentVersion,
    createdAt: new Date(startedAt).toISOString(),
    machineIdHash: machineIdHash(),
    limits: { maxBytes, timeoutMs },
    redaction: { storeValueCount: input.secretValues.length, extraPatterns: extraPatterns.length },
    files: ordered.map((f) => ({ name: f.name, bytes: f.content.length, sha256: sha256(f.content) })),
    notes,
  };
  const all = [jsonFile('manifest.json', manifest, redact), ...ordered];
  let zipped: Promise<Buffer> | undefined;
  return {
    files: all.map((f) => ({
      name: f.name,
      bytes: f.content.length,
      sha256: sha256(f.content),
      sample: f.content
        .toString('utf8', 0, Math.min(f.content.length, sampleChars * 4))
        .slice(0, sampleChars),
    })),
    totalBytes: all.reduce((sum, f) => sum + f.content.length, 0),
    notes,
    async writeTo(path) {
      zipped ??= zipFiles(all, new Date(startedAt));
      await writeFileAtomically(path, await zipped, { mode: 0o600 }); // readable by the owner only
    },
  };
}

/** Past the limit, drops the biggest optional files (oldest logs first, then record timelines) with a note each. */
function enforceSize(files: Collected[], limit: number, notes: string[]): void {
  const droppable = (name: string) =>
    name.startsWith('logs/') || name === 'outbox/recent-records.json' || name === 'outbox/dead-letters.json';
  let total = files.reduce((sum, f) => sum + f.content.length, 0);
  while (total > limit) {
    const index = files.findLastIndex((f) => droppable(f.name));
    if (index < 0) break;
    const candidate = files[index];
    const excess = total - limit;
    if (candidate && candidate.name.startsWith('logs/') && excess < candidate.content.length / 2) {
      // A log a little over the limit (files added after it was read, such as errors.json) loses its oldest lines.
      const cut = candidate.content.indexOf(0x0a, excess);
      const kept = cut < 0 ? Buffer.alloc(0) : candidate.content.subarray(cut + 1);
      notes.push(
        `${candidate.name} trimmed by ${candidate.content.length - kept.length} more bytes (bundle size limit)`,
      );
      total -= candidate.content.length - kept.length;
      candidate.content = kept;
      continue;
    }
    const [dropped] = files.splice(index, 1);
    if (!dropped) break;
    total -= dropped.content.length;
    notes.push(
      `${dropped.name} (${dropped.content.length} bytes) left out: the bundle size limit was reached`,
    );
  }
}
