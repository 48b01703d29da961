// The Activity page's lines: log events in plain words, each run of alike neighbours (same kind, connection and reason) folded into one line with its count.
import type { LogEvent, LogLevel } from '../agent-api.js';
import { wordingOf } from './activity-wording.js';

export interface ActivityLine {
  /** The newest event's time. */
  at: number;
  /** The oldest event's time, when the line stands for several. */
  since?: number;
  level: LogLevel;
  connection?: string;
  text: string;
  /** How many log events the line stands for. */
  count: number;
}

/** `events` newest first; a run of alike events in a row becomes one line (at most `maxRun` events each). */
export function activityLines(events: readonly LogEvent[], maxRun = 1000): ActivityLine[] {
  const runs: { key: string; events: LogEvent[] }[] = [];
  for (const event of events) {
    const wording = wordingOf(event);
    const key = `${event.level}|${event.connection ?? ''}|${wording.key}`;
    const last = runs.at(-1);
    if (last && last.key === key && last.events.length < maxRun) last.events.push(event);
    else runs.push({ key, events: [event] });
  }
  return runs.map(({ events: run }) => {
    const newest = run[0]!;
    return {
      at: newest.at,
      ...(run.length > 1 ? { since: run.at(-1)!.at } : {}),
      level: newest.level,
      ...(newest.connection !== undefined ? { connection: newest.connection } : {}),
      text: wordingOf(newest).words(run),
      count: run.length,
    };
  });
}
