// `integration-agent dlq list|replay|discard`: the dead-letter queue from the command line, beside a running agent or not.
import type { DeadLetterActionResult } from '../outbox/dead-letters.js';
import type { OutboxRecord } from '../outbox/record.js';
import { keyHash } from '../diagnostics/bundle/outbox-report.js';
import {
  openDeadLetterWriter,
  openOutboxReadOnly,
  runningAgentPid,
} from '../diagnostics/bundle/open-outbox.js';
import { createRedactor } from '../diagnostics/redaction.js';
import { cliActor, parseIds } from './dlq-arguments.js';
import { CliError, exitCodes } from './cli-error.js';
import { formatTable, supportDataDir, withOutboxErrors } from './connections-command.js';
import { plural } from '../engine/plain-words.js';

interface DataDirOptions {
  dataDir?: string;
}

export interface DlqListOptions extends DataDirOptions {
  connection?: string;
  limit?: string;
  json?: boolean;
}

export interface DlqReplayOptions extends DataDirOptions {
  all?: boolean;
  connection?: string;
}

export interface DlqDiscardOptions extends DataDirOptions {
  yes?: boolean;
}

function parseLimit(value: string | undefined): number {
  const limit = Number(value ?? '100');
  if (!Number.isInteger(limit) || limit <= 0) {
    throw new CliError(`--limit ${value} is not a positive whole number`, exitCodes.failure);
  }
  return limit;
}

export interface DeadLetterRow {
  id: number;
  connection: string;
  businessKey: string | null;
  businessKeySha256: string | null;
  idempotencyKey: string;
  attempts: number;
  capturedAt: string;
  deadAt: string | null;
  reason: string | null;
  bytes: number;
}

function toRow(record: OutboxRecord, redact: (text: string) => string): DeadLetterRow {
  return {
    id: record.id,
    connection: record.connection,
    businessKey: record.businessKey,
    businessKeySha256: record.businessKey === null ? null : keyHash(record.businessKey),
    idempotencyKey: record.idempotencyKey,
    attempts: record.attempts,
    capturedAt: new Date(record.createdAt).toISOString(),
    deadAt: record.settledAt === null ? null : new Date(record.settledAt).toISOString(),
    reason: record.lastError === null ? null : redact(record.lastError),
    bytes: record.size,
  };
}

export function deadLetterRows(options: DlqListOptions): DeadLetterRow[] {
  const dataDir = supportDataDir(options.dataDir);
  const limit = parseLimit(options.limit);
  const redact = createRedactor();
  return withOutboxErrors(() => {
    const outbox = openOutboxReadOnly(dataDir);
    try {
      const connections = options.connection ? [options.connection] : outbox.counters.connections().sort();
      return connections.flatMap((connection) =>
        outbox.deadLetters({ connection, limit }).map((r) => toRow(r, redact)),
      );
    } finally {
      outbox.close();
    }
  });
}

export function dlqListCommand(options: DlqListOptions): void {
  const rows = deadLetterRows(options);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  if (rows.length === 0) {
    process.stderr.write(`No dead letters${options.connection ? ` for ${options.connection}` : ''}.\n`);
    return;
  }
  const short = (text: string | null, max: number) =>
    text === null ? '' : text.length > max ? `${text.slice(0, max - 1)}…` : text;
  process.stdout.write(
    formatTable(
      ['ID', 'CONNECTION', 'BUSINESS KEY', 'ATTEMPTS', 'DEAD SINCE', 'REASON'],
      rows.map((r) => [
        String(r.id),
        r.connection,
        short(r.businessKey ?? '-', 40),
        String(r.attempts),
        r.deadAt ?? '',
        short(r.reason, 100),
      ]),
    ),
  );
}

function report(verb: string, result: DeadLetterActionResult, dataDir: string): void {
  if (result.done.length > 0) {
    const running = runningAgentPid(dataDir) !== undefined;
    process.stdout.write(
      `${verb} ${plural(result.done.length, 'dead letter')}: ${result.done.join(', ')}.` +
        (verb === 'Replayed'
          ? running
            ? ' The running agent sends them again within a few seconds, with their original Idempotency-Key.\n'
            : ' The agent is not running: they are sent when it starts.\n'
          : '\n'),
    );
  }
  if (result.skipped.length > 0) {
    process.stderr.write(
      `Skipped ${plural(result.skipped.length, 'id')} that cannot be replayed (already replayed or discarded, unknown, or rejected at capture: fix those at the source, remap them with \`dlq remap\`, or discard them): ${result.skipped.join(', ')}.\n`,
    );
  }
  if (result.done.length === 0) {
    throw new CliError(
      'nothing was done. Hint: `integration-agent dlq list` shows the current dead letters',
      exitCodes.failure,
    );
  }
}

export function dlqReplayCommand(ids: string[], options: DlqReplayOptions): void {
  if (options.all === true && ids.length > 0) {
    throw new CliError('give record ids or --all --connection ID, not both', exitCodes.failure);
  }
  if (options.all !== true && ids.length === 0) {
    throw new CliError(
      'no record ids given. Hint: `integration-agent dlq replay 12 13`, or `--all --connection ID` for every dead letter of a connection',
      exitCodes.failure,
    );
  }
  if (options.all === true && !options.connection) {
    throw new CliError(
      '--all needs --connection ID (replaying every connection at once is not offered)',
      exitCodes.failure,
    );
  }
  const dataDir = supportDataDir(options.dataDir);
  const list = options.all === true ? undefined : parseIds(ids);
  const result = withOutboxErrors(() => {
    const writer = openDeadLetterWriter(dataDir);
    try {
      return writer.replay(list ?? writer.deadIds(options.connection ?? ''), cliActor());
    } finally {
      writer.close();
    }
  });
  report('Replayed', result, dataDir);
}

export function dlqDiscardCommand(ids: string[], options: DlqDiscardOptions): void {
  const list = parseIds(ids);
  if (list.length === 0) {
    throw new CliError(
      'no record ids given. Hint: `integration-agent dlq discard 12 13 --yes`',
      exitCodes.failure,
    );
  }
  if (options.yes !== true) {
    throw new CliError(
      `discarding gives up on ${plural(list.length, 'record')} for good (they are never sent). Hint: add --yes to confirm`,
      exitCodes.failure,
    );
  }
  const dataDir = supportDataDir(options.dataDir);
  const result = withOutboxErrors(() => {
    const writer = openDeadLetterWriter(dataDir);
    try {
      return writer.discard(list, cliActor());
    } finally {
      writer.close();
    }
  });
  report('Discarded', result, dataDir);
}
