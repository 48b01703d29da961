// Sending windows: the local times of day (in one time zone, DST-aware through Intl) when records may be sent.
import { isKnownTimeZone, type SendingWindowConfig } from '../../connectors/core/delivery-policy-config.js';
import {
  clockText,
  minutesOfDay,
  weekdays,
  type Weekday,
} from '../../preload/contract/sending-window-spec.js';

const minuteMs = 60_000;
const dayMs = 24 * 60 * minuteMs;
/** nextOpenAt and closesAt look no further ahead than this. */
const horizonMs = 8 * dayMs;
/** Offsets are probed this far apart to find DST changes; no zone changes its offset twice within it. */
const transitionProbeMs = 6 * 60 * minuteMs;

/** In Date.prototype.getUTCDay() order. */
const weekdayOfUtcDay: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface Window {
  days: ReadonlySet<Weekday>;
  /** Minutes since midnight; `to <= from` means the window ends the next day. */
  from: number;
  to: number;
}

interface WallTime {
  /** The local calendar date as a UTC midnight (so plain arithmetic on it never meets DST). */
  date: number;
  minutes: number;
  /** The local wall clock, to the second, as if it were UTC. */
  ms: number;
}

function weekdayOf(date: number): Weekday {
  return weekdayOfUtcDay[new Date(date).getUTCDay()] as Weekday;
}

function parseWindow(window: SendingWindowConfig, index: number): Window {
  const label = `sending window ${index + 1}`;
  const from = minutesOfDay(window.from, false);
  const to = minutesOfDay(window.to, true);
  if (from === undefined || to === undefined) {
    const [name, value] = from === undefined ? ['from', window.from] : ['to', window.to];
    throw new RangeError(
      `${label}: ${name} ${JSON.stringify(value)} is not a time in HH:MM format; write a 24-hour time such as "08:00"`,
    );
  }
  if (from === to) {
    throw new RangeError(
      `${label}: from and to are both "${window.from}", so the window has no length; use 00:00–24:00 for all day`,
    );
  }
  if (window.days.length === 0) {
    throw new RangeError(`${label} lists no days; name at least one day, or all seven for every day`);
  }
  // A window that ends at 00:00 ends at the end of its own day.
  return { days: new Set(window.days), from, to: to === 0 ? 24 * 60 : to };
}

function daysText(days: ReadonlySet<Weekday>): string {
  const has = weekdays.map((day) => days.has(day));
  if (has.every(Boolean)) return 'every day';
  if (has.join() === [true, true, true, true, true, false, false].join()) return 'weekdays';
  if (has.join() === [false, false, false, false, false, true, true].join()) return 'weekends';
  const names = weekdays.map((day) => day.charAt(0).toUpperCase() + day.slice(1));
  const parts: string[] = [];
  for (let start = 0; start < weekdays.length; start++) {
    if (!has[start]) continue;
    let end = start;
    while (has[end + 1]) end++;
    const run = names.slice(start, end + 1);
    parts.push(run.length >= 3 ? [run[0], run.at(-1)].join('–') : run.join(', '));
    start = end;
  }
  return parts.join(', ');
}

/**
 * When a destination may receive records. Windows follow the wall clock of the time zone: on the day clocks go
 * forward a window may be shorter (or, if it lies wholly in the skipped hour, not open at all), on the day they
 * go back it may be longer and open twice in the repeated hour. A window whose `to` is earlier than its `from`
 * runs past midnight; the part after midnight belongs to the day the window started.
 */
export class SendingSchedule {
  private readonly windows: readonly Window[];
  private readonly format: Intl.DateTimeFormat;
  private readonly timeZone: string;

  /** An empty list means always open. `timeZone` defaults to the machine's own time zone. */
  constructor(windows: readonly SendingWindowConfig[], timeZone?: string) {
    if (timeZone !== undefined && !isKnownTimeZone(timeZone)) {
      throw new RangeError(
        `Unknown time zone ${JSON.stringify(timeZone)}: use an IANA name like Europe/Berlin`,
      );
    }
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    this.timeZone = this.format.resolvedOptions().timeZone;
    this.windows = windows.map(parseWindow);
  }

  isOpen(now: number): boolean {
    if (this.windows.length === 0) return true;
    const { date, minutes } = this.wall(now);
    const today = weekdayOf(date);
    const yesterday = weekdayOf(date - dayMs);
    return this.windows.some((w) =>
      w.from < w.to
        ? w.days.has(today) && minutes >= w.from && minutes < w.to
        : (w.days.has(today) && minutes >= w.from) || (w.days.has(yesterday) && minutes < w.to),
    );
  }

  /**
   * Next time (ms epoch) the schedule opens, or `now` if open now. Looks at most 8 days ahead; if nothing opens
   * by then (only when every window falls in a skipped DST hour) it returns now + 8 days, to be asked again then.
   */
  nextOpenAt(now: number): number {
    if (this.isOpen(now)) return now;
    return this.boundaries(now).find((t) => this.isOpen(t)) ?? now + horizonMs;
  }

  /** When the schedule closes (ms epoch; adjoining windows count as one), or undefined when closed or always open. */
  closesAt(now: number): number | undefined {
    if (this.windows.length === 0 || !this.isOpen(now)) return undefined;
    return this.boundaries(now).find((t) => !this.isOpen(t));
  }

  /** Plain words, e.g. "weekdays 08:00–18:00 (Europe/Berlin)". */
  describe(): string {
    if (this.windows.length === 0) return 'at any time';
    const windows = this.windows.map((w) => {
      const nextDay = w.to <= w.from ? ' next day' : '';
      return `${daysText(w.days)} ${clockText(w.from)}–${clockText(w.to)}${nextDay}`;
    });
    return `${windows.join('; ')} (${this.timeZone})`;
  }

  /**
   * Every instant in (now, now + 8 days] at which being open can change: where the wall clock reaches a window's
   * from or to, and where it jumps (DST). Between two of them the wall clock runs on without touching either.
   */
  private boundaries(now: number): number[] {
    const limit = now + horizonMs;
    const found = new Set(this.transitions(now, limit));
    const today = this.wall(now).date;
    for (let date = today - dayMs; date <= today + 9 * dayMs; date += dayMs) {
      for (const w of this.windows) {
        if (!w.days.has(weekdayOf(date))) continue;
        const end = (w.from < w.to ? date : date + dayMs) + w.to * minuteMs;
        for (const t of [...this.instantsAt(date + w.from * minuteMs), ...this.instantsAt(end)]) found.add(t);
      }
    }
    return [...found].filter((t) => t > now && t <= limit).sort((a, b) => a - b);
  }

  /** The instants at which the wall clock shows `wall`: two in a repeated hour; in a skipped hour, the jump. */
  private instantsAt(wall: number): number[] {
    const early = wall - this.offsetAt(wall - dayMs);
    const late = wall - this.offsetAt(wall + dayMs);
    const exact = [...new Set([early, late])].filter((t) => this.wall(t).ms === wall).sort((a, b) => a - b);
    if (exact.length > 0) return exact;
    return [this.firstChange(Math.min(early, late), Math.max(early, late))];
  }

  /** The instants in (start, end] at which the zone's UTC offset changes. */
  private transitions(start: number, end: number): number[] {
    const found: number[] = [];
    let before = start;
    let offset = this.offsetAt(before);
    while (before < end) {
      const after = Math.min(before + transitionProbeMs, end);
      const next = this.offsetAt(after);
      if (next !== offset) found.push(this.firstChange(before, after));
      before = after;
      offset = next;
    }
    return found;
  }

  /** The first whole second after `lo`, and at most `hi`, whose UTC offset differs from the offset at `lo`. */
  private firstChange(lo: number, hi: number): number {
    const offset = this.offsetAt(lo);
    let low = Math.floor(lo / 1000);
    let high = Math.ceil(hi / 1000);
    while (high - low > 1) {
      const mid = Math.floor((low + high) / 2);
      if (this.offsetAt(mid * 1000) === offset) low = mid;
      else high = mid;
    }
    return high * 1000;
  }

  /** Local time minus UTC at `t`, in ms. */
  private offsetAt(t: number): number {
    return this.wall(t).ms - Math.floor(t / 1000) * 1000;
  }

  private wall(t: number): WallTime {
    const parts = this.format.formatToParts(t);
    const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
    const date = Date.UTC(part('year'), part('month') - 1, part('day'));
    const minutes = part('hour') * 60 + part('minute');
    return { date, minutes, ms: date + minutes * minuteMs + part('second') * 1000 };
  }
}
