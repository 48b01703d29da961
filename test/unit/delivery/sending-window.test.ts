// Sending windows in fixed time zones: weekdays, overnight windows, 24:00, DST days in Europe/Berlin, bad input.
import { describe, expect, it } from 'vitest';
import type { SendingWindowConfig } from '../../../connectors/core/delivery-policy-config.js';
import type { Weekday } from '../../../preload/contract/sending-window-spec.js';
import { SendingSchedule } from '../../../main/delivery/sending-window.js';

const everyDay: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const workdays: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];
const minute = 60_000;
const at = (iso: string) => Date.parse(iso);

function schedule(
  windows: Array<Partial<SendingWindowConfig> & { from: string; to: string }>,
  timeZone = 'UTC',
) {
  return new SendingSchedule(
    windows.map((w) => ({ days: everyDay, ...w })),
    timeZone,
  );
}

describe('SendingSchedule basics (UTC)', () => {
  // 2026-03-23 is a Monday.
  const weekdays = schedule([{ days: workdays, from: '08:00', to: '18:00' }]);

  it('is always open with no windows', () => {
    const always = new SendingSchedule([], 'UTC');
    const now = at('2026-03-28T03:00:00Z');
    expect(always.isOpen(now)).toBe(true);
    expect(always.nextOpenAt(now)).toBe(now);
    expect(always.closesAt(now)).toBeUndefined();
    expect(always.describe()).toBe('at any time');
  });

  it('opens at from and closes at to (to itself is outside)', () => {
    expect(weekdays.isOpen(at('2026-03-23T07:59:59Z'))).toBe(false);
    expect(weekdays.isOpen(at('2026-03-23T08:00:00Z'))).toBe(true);
    expect(weekdays.isOpen(at('2026-03-23T17:59:59.999Z'))).toBe(true);
    expect(weekdays.isOpen(at('2026-03-23T18:00:00Z'))).toBe(false);
    expect(weekdays.isOpen(at('2026-03-28T12:00:00Z'))).toBe(false);
  });

  it('finds the next opening across the weekend and the close of the current window', () => {
    expect(weekdays.nextOpenAt(at('2026-03-27T18:00:00Z'))).toBe(at('2026-03-30T08:00:00Z'));
    expect(weekdays.nextOpenAt(at('2026-03-24T03:00:00Z'))).toBe(at('2026-03-24T08:00:00Z'));
    expect(weekdays.nextOpenAt(at('2026-03-24T09:00:00Z'))).toBe(at('2026-03-24T09:00:00Z'));
    expect(weekdays.closesAt(at('2026-03-24T09:00:00Z'))).toBe(at('2026-03-24T18:00:00Z'));
    expect(weekdays.closesAt(at('2026-03-24T19:00:00Z'))).toBeUndefined();
    expect(weekdays.describe()).toBe('weekdays 08:00–18:00 (UTC)');
  });

  it('gives the part of an overnight window after midnight to the day it started', () => {
    const friday = schedule([{ days: ['fri'], from: '22:00', to: '06:00' }]);
    expect(friday.isOpen(at('2026-03-27T21:59:00Z'))).toBe(false);
    expect(friday.isOpen(at('2026-03-27T22:00:00Z'))).toBe(true);
    expect(friday.isOpen(at('2026-03-28T05:59:00Z'))).toBe(true);
    expect(friday.isOpen(at('2026-03-28T06:00:00Z'))).toBe(false);
    expect(friday.isOpen(at('2026-03-27T03:00:00Z'))).toBe(false);
    expect(friday.isOpen(at('2026-03-28T23:00:00Z'))).toBe(false);
    expect(friday.closesAt(at('2026-03-27T23:00:00Z'))).toBe(at('2026-03-28T06:00:00Z'));
    expect(friday.nextOpenAt(at('2026-03-28T07:00:00Z'))).toBe(at('2026-04-03T22:00:00Z'));
    expect(friday.describe()).toBe('Fri 22:00–06:00 next day (UTC)');
  });

  it('accepts 24:00 as the end of the day and reads a to of 00:00 the same way', () => {
    const monday = schedule([{ days: ['mon'], from: '00:00', to: '24:00' }]);
    expect(monday.isOpen(at('2026-03-23T00:00:00Z'))).toBe(true);
    expect(monday.closesAt(at('2026-03-23T10:00:00Z'))).toBe(at('2026-03-24T00:00:00Z'));
    expect(monday.nextOpenAt(at('2026-03-24T00:00:00Z'))).toBe(at('2026-03-30T00:00:00Z'));
    const lateFriday = schedule([{ days: ['fri'], from: '22:00', to: '00:00' }]);
    expect(lateFriday.isOpen(at('2026-03-27T23:59:00Z'))).toBe(true);
    expect(lateFriday.isOpen(at('2026-03-28T00:00:00Z'))).toBe(false);
    expect(lateFriday.closesAt(at('2026-03-27T22:00:00Z'))).toBe(at('2026-03-28T00:00:00Z'));
    expect(lateFriday.describe()).toBe('Fri 22:00–24:00 (UTC)');
  });

  it('treats adjoining and overlapping windows as one when telling when it closes', () => {
    const day = schedule([
      { from: '08:00', to: '12:00' },
      { from: '11:00', to: '13:00' },
      { from: '13:00', to: '18:00' },
    ]);
    expect(day.closesAt(at('2026-03-23T09:00:00Z'))).toBe(at('2026-03-23T18:00:00Z'));
  });

  it('never closes when the windows cover the whole week', () => {
    for (const windows of [
      [{ from: '00:00', to: '24:00' }],
      [
        { from: '18:00', to: '09:00' },
        { from: '09:00', to: '18:00' },
      ],
    ]) {
      const always = schedule(windows);
      const now = at('2026-03-25T17:30:00Z');
      expect(always.isOpen(now)).toBe(true);
      expect(always.nextOpenAt(now)).toBe(now);
      expect(always.closesAt(now)).toBeUndefined();
    }
  });

  it('reads windows in zones with half-hour offsets', () => {
    const india = schedule([{ from: '09:00', to: '17:00' }], 'Asia/Kolkata');
    expect(india.nextOpenAt(at('2026-03-23T00:00:00Z'))).toBe(at('2026-03-23T03:30:00Z'));
    expect(india.closesAt(at('2026-03-23T04:00:00Z'))).toBe(at('2026-03-23T11:30:00Z'));
  });

  it('describes days in plain words', () => {
    const described = (days: Weekday[]) => schedule([{ days, from: '09:00', to: '17:00' }]).describe();
    expect(described(everyDay)).toBe('every day 09:00–17:00 (UTC)');
    expect(described(['sat', 'sun'])).toBe('weekends 09:00–17:00 (UTC)');
    expect(described(['wed', 'mon', 'tue', 'fri'])).toBe('Mon–Wed, Fri 09:00–17:00 (UTC)');
    expect(described(['mon', 'tue', 'sun'])).toBe('Mon, Tue, Sun 09:00–17:00 (UTC)');
    expect(described(['mon', 'mon'])).toBe('Mon 09:00–17:00 (UTC)');
    expect(
      schedule(
        [
          { days: workdays, from: '08:00', to: '18:00' },
          { days: ['sat'], from: '09:00', to: '12:30' },
        ],
        'Europe/Berlin',
      ).describe(),
    ).toBe('weekdays 08:00–18:00; Sat 09:00–12:30 (Europe/Berlin)');
  });

  it("uses the machine's time zone when none is given", () => {
    const local = new SendingSchedule([{ days: everyDay, from: '08:00', to: '18:00' }]);
    expect(local.describe()).toBe(
      `every day 08:00–18:00 (${Intl.DateTimeFormat().resolvedOptions().timeZone})`,
    );
  });

  it('rejects windows and zones it cannot use, saying how to fix them', () => {
    expect(() => schedule([{ from: '08:00', to: '08:00' }])).toThrow(
      'sending window 1: from and to are both "08:00", so the window has no length; use 00:00–24:00 for all day',
    );
    expect(() =>
      schedule([
        { from: '08:00', to: '09:00' },
        { from: '8:00', to: '09:00' },
      ]),
    ).toThrow(
      'sending window 2: from "8:00" is not a time in HH:MM format; write a 24-hour time such as "08:00"',
    );
    expect(() => schedule([{ from: '24:00', to: '09:00' }])).toThrow('from "24:00" is not a time');
    expect(() => schedule([{ from: '08:00', to: '25:00' }])).toThrow('to "25:00" is not a time');
    expect(() => schedule([{ days: [], from: '08:00', to: '09:00' }])).toThrow(
      'sending window 1 lists no days',
    );
    expect(() => schedule([], 'Berlin')).toThrow(
      'Unknown time zone "Berlin": use an IANA name like Europe/Berlin',
    );
  });
});

describe('SendingSchedule across DST in Europe/Berlin', () => {
  // 2026-03-29: 02:00 CET becomes 03:00 CEST at 01:00 UTC. 2026-10-25: 03:00 CEST becomes 02:00 CET at 01:00 UTC.
  const berlin = (windows: Array<{ from: string; to: string; days?: Weekday[] }>) =>
    schedule(windows, 'Europe/Berlin');
  const night = berlin([{ from: '01:00', to: '04:00' }]);
  const office = berlin([{ from: '08:00', to: '18:00' }]);

  it('01:00–04:00 lasts two hours on the night clocks go forward', () => {
    const opens = night.nextOpenAt(at('2026-03-28T22:00:00Z'));
    expect(opens).toBe(at('2026-03-29T00:00:00Z'));
    expect(night.isOpen(at('2026-03-29T01:30:00Z'))).toBe(true);
    expect(night.closesAt(opens)).toBe(at('2026-03-29T02:00:00Z'));
    expect(night.isOpen(at('2026-03-29T02:00:00Z'))).toBe(false);
  });

  it('01:00–04:00 lasts four hours on the night clocks go back', () => {
    const opens = night.nextOpenAt(at('2026-10-24T20:00:00Z'));
    expect(opens).toBe(at('2026-10-24T23:00:00Z'));
    expect(night.isOpen(at('2026-10-25T01:30:00Z'))).toBe(true);
    expect(night.closesAt(opens)).toBe(at('2026-10-25T03:00:00Z'));
  });

  it('08:00–18:00 moves one hour in UTC and keeps ten hours on both change days', () => {
    expect(office.nextOpenAt(at('2026-03-28T17:00:00Z'))).toBe(at('2026-03-29T06:00:00Z'));
    expect(office.closesAt(at('2026-03-29T06:00:00Z'))).toBe(at('2026-03-29T16:00:00Z'));
    expect(office.nextOpenAt(at('2026-10-24T16:00:00Z'))).toBe(at('2026-10-25T07:00:00Z'));
    expect(office.closesAt(at('2026-10-25T07:00:00Z'))).toBe(at('2026-10-25T17:00:00Z'));
    expect(office.isOpen(at('2026-03-28T06:30:00Z'))).toBe(false);
    expect(office.isOpen(at('2026-03-29T06:30:00Z'))).toBe(true);
  });

  it('a window inside the skipped hour does not open that day; one starting in it opens at the jump', () => {
    const skipped = berlin([{ from: '02:00', to: '02:30' }]);
    expect(skipped.nextOpenAt(at('2026-03-29T00:00:00Z'))).toBe(at('2026-03-30T00:00:00Z'));
    const startsInGap = berlin([{ from: '02:30', to: '05:00' }]);
    expect(startsInGap.nextOpenAt(at('2026-03-29T00:00:00Z'))).toBe(at('2026-03-29T01:00:00Z'));
    expect(startsInGap.closesAt(at('2026-03-29T01:00:00Z'))).toBe(at('2026-03-29T03:00:00Z'));
    const sundaysOnly = berlin([{ days: ['sun'], from: '02:00', to: '02:30' }]);
    expect(sundaysOnly.nextOpenAt(at('2026-03-29T00:30:00Z'))).toBe(at('2026-04-05T00:00:00Z'));
  });

  it('follows the wall clock through the repeated hour', () => {
    const repeated = berlin([{ from: '02:00', to: '02:30' }]);
    expect(repeated.nextOpenAt(at('2026-10-24T23:00:00Z'))).toBe(at('2026-10-25T00:00:00Z'));
    expect(repeated.closesAt(at('2026-10-25T00:10:00Z'))).toBe(at('2026-10-25T00:30:00Z'));
    expect(repeated.nextOpenAt(at('2026-10-25T00:45:00Z'))).toBe(at('2026-10-25T01:00:00Z'));
    expect(repeated.closesAt(at('2026-10-25T01:10:00Z'))).toBe(at('2026-10-25T01:30:00Z'));
    // Clocks going back take 02:45–03:30 away at 03:00 CEST and give it back at 02:45 CET.
    const straddling = berlin([{ from: '02:45', to: '03:30' }]);
    expect(straddling.closesAt(at('2026-10-25T00:50:00Z'))).toBe(at('2026-10-25T01:00:00Z'));
    expect(straddling.nextOpenAt(at('2026-10-25T01:00:00Z'))).toBe(at('2026-10-25T01:45:00Z'));
    // ... and bring 01:30–02:15 back at the jump itself.
    const before = berlin([{ from: '01:30', to: '02:15' }]);
    expect(before.nextOpenAt(at('2026-10-25T00:20:00Z'))).toBe(at('2026-10-25T01:00:00Z'));
    expect(before.closesAt(at('2026-10-25T01:00:00Z'))).toBe(at('2026-10-25T01:15:00Z'));
  });

  it('agrees with a minute-by-minute scan around both changes', () => {
    const schedules = [
      berlin([
        { from: '01:00', to: '04:00', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
        { from: '08:00', to: '18:00', days: workdays },
        { from: '22:00', to: '02:30', days: ['sat'] },
      ]),
      berlin([{ from: '01:30', to: '02:15', days: ['sun'] }]),
      berlin([{ from: '02:45', to: '03:30', days: ['sun'] }]),
    ];
    for (const mixed of schedules) {
      for (const start of [at('2026-03-27T20:00:00Z'), at('2026-10-23T20:00:00Z')]) {
        const open = Array.from({ length: 9 * 24 * 60 }, (_, i) => mixed.isOpen(start + i * minute));
        const firstFrom = (i: number, want: boolean) => open.indexOf(want, i);
        for (let i = 0; i < 2 * 24 * 60; i += 17) {
          const now = start + i * minute;
          expect(mixed.nextOpenAt(now)).toBe(start + firstFrom(i, true) * minute);
          expect(mixed.closesAt(now)).toBe(open[i] ? start + firstFrom(i, false) * minute : undefined);
        }
      }
    }
  });
});
