// Sending windows written down, shared by the agent and the browser UI: weekday names, "HH:MM" clock times, and the
// one-window-per-line text "mon,tue 08:00-18:00" the settings page edits. Pure TypeScript: no Node, no zod.

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];

export function isWeekday(text: string): text is Weekday {
  return (weekdays as readonly string[]).includes(text);
}

/** A 24-hour "HH:MM" time with two-digit hours and minutes. */
export const clockTimePattern = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes since midnight of an "HH:MM" 24-hour time; "24:00" (1440) only when `endOfDay`; undefined when malformed. */
export function minutesOfDay(text: string, endOfDay: boolean): number | undefined {
  if (endOfDay && text === '24:00') return 24 * 60;
  const match = clockTimePattern.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

/** Minutes since midnight as "HH:MM". */
export function clockText(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** One window as the settings hold it: no days means every day. */
export interface SendingWindowSpec {
  days?: Weekday[];
  from: string;
  to: string;
}

/** One line per window, days first when given: "mon,tue 08:00-18:00". */
export function formatWindowLines(windows: readonly SendingWindowSpec[]): string {
  return windows.map((w) => `${w.days?.length ? `${w.days.join(',')} ` : ''}${w.from}-${w.to}`).join('\n');
}

/**
 * Reads the text `formatWindowLines` writes (case-insensitive, blank lines ignored). Times must be ones the agent
 * accepts (`minutesOfDay`). On the first line that is not a window it stops with `error` naming that line, and
 * `windows` holds the lines read before it.
 */
export function parseWindowLines(text: string): { windows: SendingWindowSpec[]; error?: string } {
  const windows: SendingWindowSpec[] = [];
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  for (const [index, line] of lines.entries()) {
    const match = /^(?:([a-z,]+)\s+)?(\d{2}:\d{2})-(\d{2}:\d{2})$/.exec(line.toLowerCase());
    const dayList = match?.[1]?.split(',').filter(Boolean) ?? [];
    if (!match?.[2] || !match[3] || !dayList.every(isWeekday)) {
      return {
        windows,
        error: `line ${index + 1} (“${line}”): write “mon,tue 08:00-18:00” (days from mon…sun, optional)`,
      };
    }
    const [from, to] = [match[2], match[3]];
    const badTime =
      minutesOfDay(from, false) === undefined ? from : minutesOfDay(to, true) === undefined ? to : '';
    if (badTime) {
      return {
        windows,
        error: `line ${index + 1} (“${line}”): ${badTime} is not a 24-hour time; use 00:00…23:59 (24:00 as an end)`,
      };
    }
    windows.push({ ...(dayList.length ? { days: dayList.filter(isWeekday) } : {}), from, to });
  }
  return { windows };
}
