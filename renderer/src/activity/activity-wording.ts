// The Activity page's sentences: what happened, to which record or file, why, and what happens next, for one log event or a run of alike ones.
import type { LogEvent } from '../agent-api.js';
import { bytes, clock, count, duration, plural } from '../common/format.js';

/** How one kind of log event is put into words; `key` says which neighbours can share one line. */
interface Wording {
  key: string;
  /** `events` share the key, newest first; at least one. */
  words(events: LogEvent[]): string;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;
const field = (event: LogEvent, name: string): unknown => event.data?.[name];

/** The record ids an event is about (one record, or the members of a batch). */
export function recordIdsOf(event: LogEvent): number[] {
  const ids = field(event, 'recordIds');
  const list = Array.isArray(ids) ? ids.filter((id): id is number => typeof id === 'number') : [];
  return event.recordId !== undefined && !list.includes(event.recordId) ? [event.recordId, ...list] : list;
}

/** "record #14", "records #12, #13 and #14", "40 records (#12 to #51)". */
export function recordsPhrase(ids: readonly number[]): string {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  if (sorted.length === 0) return 'a record';
  if (sorted.length === 1) return `record #${sorted[0]}`;
  if (sorted.length <= 3) {
    const named = sorted.map((id) => `#${id}`);
    return `records ${named.slice(0, -1).join(', ')} and ${named.at(-1)}`;
  }
  return `${plural(sorted.length, 'record')} (#${sorted[0]} to #${sorted.at(-1)})`;
}

/** "invoice-1.csv", "invoice-1.csv and b.csv", "12 files: a.csv, b.csv and 10 more". */
export function filesPhrase(names: readonly string[]): string {
  const unique = [...new Set(names)];
  if (unique.length === 0) return 'a file';
  if (unique.length === 1) return `file ${unique[0]}`;
  if (unique.length === 2) return `files ${unique[0]} and ${unique[1]}`;
  return `${plural(unique.length, 'file')}: ${unique.slice(0, 2).join(', ')} and ${count(unique.length - 2)} more`;
}

const allIds = (events: LogEvent[]) => events.flatMap(recordIdsOf);
const allFiles = (events: LogEvent[]) => events.flatMap((e) => text(field(e, 'file')) ?? []);
const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
/** "", or " (5 times since 10:42:01)" when a run of alike events shares one line. */
const times = (events: LogEvent[]) =>
  events.length > 1 ? ` (${count(events.length)} times since ${clock(events.at(-1)!.at)})` : '';
const sentence = (s: string) => (/[.!?]$/.test(s) ? s : `${s}.`);
/** The event's reason as a sentence, with how often it repeated: "connection refused (5 times since 10:42:01)." */
const because = (e: LogEvent, events: LogEvent[]) =>
  sentence(`${(reasonOf(e) ?? 'no reason given').replace(/\.$/, '')}${times(events)}`);
/** The reason an event gives: its `error`, `problem` or `reason` field, else its error object's message. */
function reasonOf(event: LogEvent): string | undefined {
  const err = field(event, 'err') as { message?: unknown } | undefined;
  return (
    text(field(event, 'error')) ??
    text(field(event, 'problem')) ??
    text(field(event, 'reason')) ??
    text(err?.message)
  );
}

function nextTry(event: LogEvent): string {
  const at = num(field(event, 'retryAt'));
  if (at !== undefined) return ` Next try at ${clock(at)}.`;
  const inMs = num(field(event, 'retryInMs'));
  return inMs !== undefined ? ` Next try in ${duration(inMs)}.` : ' It is tried again later.';
}

/** What happens to dead letters next, for one record or several. */
const deadLetterNext = (n: number) =>
  n === 1
    ? 'It waits in the dead-letter queue until someone replays or discards it (Dead letters page).'
    : 'They wait in the dead-letter queue until someone replays or discards them (Dead letters page).';

const byMessage: Record<string, (event: LogEvent) => Wording> = {
  delivered: (e) => ({
    key: `delivered|${e.connection ?? ''}`,
    words: (events) => {
      const code = text(field(e, 'code'));
      const sameCode = events.every((x) => text(field(x, 'code')) === code);
      return `Delivered ${recordsPhrase(allIds(events))}${code && sameCode ? ` (${code})` : ''}.`;
    },
  }),
  'send failed; will retry': (e) => ({
    key: `retry|${e.connection ?? ''}|${reasonOf(e) ?? ''}`,
    words: (events) => `Could not send ${recordsPhrase(allIds(events))}: ${because(e, events)}${nextTry(e)}`,
  }),
  'dead-lettered': (e) => ({
    key: `dead|${e.connection ?? ''}|${reasonOf(e) ?? ''}`,
    words: (events) => {
      const ids = allIds(events);
      const code = text(field(e, 'code'));
      const why = reasonOf(e) ?? 'no reason given';
      const what = capitalized(recordsPhrase(ids));
      const verb = ids.length === 1 ? 'was' : 'were';
      const shownCode = code && !why.includes(code) ? ` (${code})` : '';
      return `${what} ${verb} refused${shownCode}: ${sentence(why)} ${deadLetterNext(ids.length)}`;
    },
  }),
  'record could not be sent and was dead-lettered': (e) => ({
    key: `unsendable|${e.connection ?? ''}|${reasonOf(e) ?? ''}`,
    words: (events) => {
      const ids = allIds(events);
      const why = sentence(reasonOf(e) ?? 'no reason given');
      return `${capitalized(recordsPhrase(ids))} could not be sent: ${why} ${deadLetterNext(ids.length)}`;
    },
  }),
  'file captured': (e) => ({
    key: `captured|${e.connection ?? ''}`,
    words: (events) => {
      const size = num(field(e, 'size'));
      const shown = events.length === 1 && size !== undefined ? ` (${bytes(size)})` : '';
      return `Captured ${filesPhrase(allFiles(events))}${shown}; delivery follows.`;
    },
  }),
  'file records captured': (e) => ({
    key: `records-captured|${e.connection ?? ''}|${e.at}`,
    words: () => {
      const rows = num(field(e, 'rows')) ?? 0;
      const rejected = num(field(e, 'rejected')) ?? 0;
      const kept = rejected > 0 ? `; ${plural(rejected, 'row')} rejected and kept as dead letters` : '';
      return `Captured ${plural(rows - rejected, 'row')} from ${filesPhrase(allFiles([e]))}${kept}.`;
    },
  }),
  'file not captured': (e) => ({
    key: `not-captured|${e.connection ?? ''}|${text(field(e, 'file')) ?? ''}|${reasonOf(e) ?? ''}`,
    words: (events) =>
      `${capitalized(filesPhrase(allFiles([e])))} was not captured: ${because(e, events)}` +
      ` It stays in the folder and is tried again when it changes or the problem passes.`,
  }),
  'file deleted; delete record captured': (e) => ({
    key: `deleted|${e.connection ?? ''}`,
    words: (events) => {
      const files = allFiles(events);
      return `${capitalized(filesPhrase(files))} ${files.length === 1 ? 'was' : 'were'} deleted; the deletion is sent like any change.`;
    },
  }),
  'capture paused (backpressure)': (e) => ({
    key: `paused|${reasonOf(e) ?? ''}`,
    words: () =>
      `Capture paused: ${sentence(reasonOf(e) ?? 'the outbox is full')} It resumes by itself once the outbox drains.`,
  }),
  'capture resumed': () => ({ key: 'resumed', words: () => 'Capture resumed.' }),
  'records skipped by the mapping filter': (e) => ({
    key: `skipped|${e.connection ?? ''}`,
    words: (events) => {
      const skipped = events.reduce((sum, x) => sum + (num(field(x, 'skipped')) ?? 0), 0);
      return `The mapping's filter left out ${plural(skipped, 'record')}; ${skipped === 1 ? 'it is' : 'they are'} not sent.`;
    },
  }),
  'outbox retention applied': (e) => ({
    key: `retention|${e.at}`,
    words: () => {
      const removed = num(field(e, 'removed')) ?? 0;
      const compacted = num(field(e, 'compacted')) ?? 0;
      return `Outbox clean-up: ${plural(removed, 'old record')} removed, ${plural(compacted, 'payload')} compacted.`;
    },
  }),
  'lease had expired before the send finished; outcome ignored': (e) => ({
    key: `stale|${e.connection ?? ''}`,
    words: (events) =>
      `The answer for ${recordsPhrase(allIds(events))} came too late; they are sent again with the same idempotency key, so the API sees no duplicates.`,
  }),
  'database capture failed; will retry': (e) => ({
    key: `db-retry|${e.connection ?? ''}|${reasonOf(e) ?? ''}`,
    words: (events) =>
      `Could not read ${text(field(e, 'where')) ?? 'the database'}: ${because(e, events)}${nextTry(e)}`,
  }),
  'logical decoding failed; will retry': (e) => ({
    key: `logical-retry|${e.connection ?? ''}|${reasonOf(e) ?? ''}`,
    words: (events) =>
      `Could not follow the changes of ${text(field(e, 'where')) ?? 'the database'}: ` +
      `${because(e, events)}${nextTry(e)}`,
  }),
  'alert webhook failed; will retry': (e) => ({
    key: `webhook-retry|${reasonOf(e) ?? ''}`,
    words: (events) =>
      `Could not send an alert to the webhook${text(field(e, 'webhook')) ? ` at ${text(field(e, 'webhook'))}` : ''}: ` +
      `${because(e, events)}${nextTry(e)}`,
  }),
};

const alertVerbs: Record<string, string> = {
  fired: 'Alert',
  repeated: 'Alert still on',
  resolved: 'Alert over',
};

/** An alert transition's line (the agent logs the alert's title as the message). */
function alertWording(e: LogEvent): Wording | undefined {
  const transition = text(field(e, 'transition'));
  if (transition === undefined || text(field(e, 'alert')) === undefined) return undefined;
  const detail = text(field(e, 'message'));
  return {
    key: `alert|${e.msg}|${transition}`,
    words: (events) =>
      sentence(`${alertVerbs[transition] ?? 'Alert'}: ${e.msg.replace(/\.$/, '')}${times(events)}`) +
      (detail && transition !== 'resolved' ? ` ${sentence(capitalized(detail))}` : ''),
  };
}

/** Any other line: the message in sentence form (prefixes such as "config:" read as words), with its reason. */
function plainWording(e: LogEvent): Wording {
  const prefixes: Record<string, string> = { 'config:': 'Config file:', 'console:': 'Web console:' };
  const [first = '', ...rest] = e.msg.split(' ');
  const message = prefixes[first] ? `${prefixes[first]} ${rest.join(' ')}` : capitalized(e.msg);
  const reason = reasonOf(e);
  const withReason =
    reason && !message.includes(reason) ? `${message.replace(/[.;:]$/, '')}: ${reason}` : message;
  const subject = text(field(e, 'file'));
  const about = subject && !withReason.includes(subject) ? ` (file ${subject})` : '';
  return {
    key: `plain|${e.level}|${e.connection ?? ''}|${e.msg}|${reason ?? ''}|${subject ?? ''}`,
    words: (events) => sentence(`${withReason.replace(/\.$/, '')}${about}${times(events)}`),
  };
}

export function wordingOf(event: LogEvent): Wording {
  return byMessage[event.msg]?.(event) ?? alertWording(event) ?? plainWording(event);
}

/** One log event in plain words. */
export function describeLogEvent(event: LogEvent): string {
  return wordingOf(event).words([event]);
}
