// `integration-agent records find <key>`: where a record is and why: its state and timeline, found by business or idempotency key.
import { keyHash } from '../diagnostics/bundle/outbox-report.js';
import { openOutboxReadOnly } from '../diagnostics/bundle/open-outbox.js';
import { createRedactor, redactJson } from '../diagnostics/redaction.js';
import type { RecordTimeline } from '../outbox/timeline.js';
import { plural } from '../engine/plain-words.js';
import { CliError, exitCodes } from './cli-error.js';
import { supportDataDir, withOutboxErrors } from './connections-command.js';

export interface RecordsFindOptions {
  dataDir?: string;
  limit?: string;
  json?: boolean;
}

export interface FoundRecord {
  record: RecordTimeline['record'] & { businessKeySha256: string | null };
  events: { at: string; kind: string; detail: unknown }[];
}

export function findRecords(key: string, options: RecordsFindOptions): FoundRecord[] {
  const dataDir = supportDataDir(options.dataDir);
  const limit = Number(options.limit ?? '20');
  if (!Number.isInteger(limit) || limit <= 0) {
    throw new CliError(`--limit ${options.limit} is not a positive whole number`, exitCodes.failure);
  }
  const redact = createRedactor();
  return withOutboxErrors(() => {
    const outbox = openOutboxReadOnly(dataDir);
    try {
      return outbox.search({ businessKey: key, idempotencyKey: key, limit }).flatMap((match) => {
        const timeline = outbox.timeline(match.id);
        if (!timeline) return [];
        const { record } = timeline;
        return [
          {
            record: {
              ...record,
              lastError: record.lastError === null ? null : redact(record.lastError),
              businessKeySha256: record.businessKey === null ? null : keyHash(record.businessKey),
            },
            events: timeline.events.map((e) => ({
              at: new Date(e.at).toISOString(),
              kind: e.kind,
              detail: redactJson(e.detail, redact),
            })),
          },
        ];
      });
    } finally {
      outbox.close();
    }
  });
}

const whereNext: Record<string, string> = {
  pending: 'pending: waiting to be sent (see the events for the next attempt)',
  leased: 'leased: being sent right now',
  delivered: 'delivered: the destination confirmed it',
  dead: 'dead: refused by the destination; fix the cause, then `integration-agent dlq replay <id>` (or `dlq discard <id> --yes`)',
  discarded: 'discarded by an operator: it will not be sent',
};

function describeDetail(detail: unknown): string {
  if (detail === null || detail === undefined) return '';
  const text = JSON.stringify(detail);
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

export function formatFound(found: FoundRecord[]): string {
  return found
    .map(({ record, events }) => {
      const head = [
        `Record ${record.id} [${record.connection}] business key ${record.businessKey ?? '(none)'}` +
          (record.businessKeySha256 ? ` (#${record.businessKeySha256})` : ''),
        `  state: ${whereNext[record.state] ?? record.state}; ${plural(record.attempts, 'attempt')}`,
        `  idempotency key: ${record.idempotencyKey}`,
        ...(record.lastError ? [`  last error: ${record.lastError}`] : []),
        '  timeline:',
      ];
      const width = Math.max(...events.map((e) => e.kind.length));
      const lines = events.map((e) =>
        `    ${e.at}  ${e.kind.padEnd(width)}  ${describeDetail(e.detail)}`.trimEnd(),
      );
      return [...head, ...lines].join('\n');
    })
    .join('\n\n')
    .concat('\n');
}

export function recordsFindCommand(key: string, options: RecordsFindOptions): void {
  const found = findRecords(key, options);
  if (found.length === 0) {
    throw new CliError(
      `no record with business key or idempotency key "${key}" (keys match exactly or as a prefix). ` +
        'Hint: check the connection captured it (`integration-agent connections list`); records older than outbox.retention.removeAfterDays are removed',
      exitCodes.failure,
    );
  }
  process.stdout.write(options.json ? `${JSON.stringify(found, null, 2)}\n` : formatFound(found));
}
