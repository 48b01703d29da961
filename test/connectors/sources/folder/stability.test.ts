// Finish rules and the stability tracker, with a controlled clock and scripted observations.
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../../../connectors/sources/folder/file-reader.js';
import { finishRule, formatMs } from '../../../../connectors/sources/folder/finish-rule.js';
import { StabilityTracker } from '../../../../connectors/sources/folder/stability-tracker.js';

const file = (size: number, mtimeMs: number): Extract<Observation, { exists: true }> => ({
  exists: true,
  isFile: true,
  size,
  mtimeMs,
});
const missing: Observation = { exists: false };
const rules = {
  finishedWhen: 'quiet' as const,
  quietPeriodMs: 1000,
  markerSuffix: '.done',
  triggerFile: 'READY',
  minFileAgeMs: 0,
};

describe('finish rules', () => {
  const none = () => Promise.resolve(missing);

  it('quiet: unchanged for the quiet period and old enough', async () => {
    const rule = finishRule({ ...rules, minFileAgeMs: 5000 }, none);
    expect(rule.description).toBe('quiet period 1 s, at least 5 s old');
    const now = 100_000;
    expect(await rule.isFinished('/a', file(1, now - 6000), 999, now)).toBe(false);
    expect(await rule.isFinished('/a', file(1, now - 6000), 1000, now)).toBe(true);
    expect(await rule.isFinished('/a', file(1, now - 4000), 5000, now)).toBe(false);
  });

  it('marker: a marker written at or after the file', async () => {
    const seen = new Map<string, Observation>();
    const rule = finishRule({ ...rules, finishedWhen: 'marker' }, (p) =>
      Promise.resolve(seen.get(p) ?? missing),
    );
    expect(rule.companionOf('/in/a.csv')).toBe('/in/a.csv.done');
    expect(await rule.isFinished('/in/a.csv', file(1, 500), 0, 1000)).toBe(false);
    seen.set('/in/a.csv.done', file(0, 400));
    expect(await rule.isFinished('/in/a.csv', file(1, 500), 0, 1000)).toBe(false);
    seen.set('/in/a.csv.done', file(0, 500));
    expect(await rule.isFinished('/in/a.csv', file(1, 500), 0, 1000)).toBe(true);
  });

  it('trigger: the trigger file of the same folder, written at or after the file', async () => {
    const seen = new Map<string, Observation>([['/in/sub/READY', file(0, 700)]]);
    const rule = finishRule({ ...rules, finishedWhen: 'trigger' }, (p) =>
      Promise.resolve(seen.get(p) ?? missing),
    );
    expect(rule.companionOf('/in/sub/a.csv')).toBeUndefined();
    expect(await rule.isFinished('/in/sub/a.csv', file(1, 600), 0, 1000)).toBe(true);
    expect(await rule.isFinished('/in/sub/b.csv', file(1, 800), 0, 1000)).toBe(false);
    expect(await rule.isFinished('/in/c.csv', file(1, 100), 0, 1000)).toBe(false);
  });

  it('formats durations for status', () => {
    expect([formatMs(250), formatMs(2000), formatMs(1500), formatMs(300_000), formatMs(7_200_000)]).toEqual([
      '250 ms',
      '2 s',
      '1.5 s',
      '5 min',
      '2 h',
    ]);
  });
});

describe('StabilityTracker', () => {
  function tracker(script: Map<string, Observation>) {
    let now = 10_000;
    const settled: [string, Observation, number][] = [];
    const errors: string[] = [];
    const t = new StabilityTracker({
      quietPeriodMs: 1000,
      pollMs: 60_000, // polls are driven by the test
      rule: finishRule(rules, () => Promise.resolve(missing)),
      observe: (p) => {
        const seen = script.get(p);
        return seen
          ? Promise.resolve(seen)
          : Promise.reject(Object.assign(new Error('EACCES'), { code: 'EACCES' }));
      },
      onSettled: (p, o, since) => settled.push([p, o, since]),
      onError: (p) => errors.push(p),
      now: () => now,
    });
    return { t, settled, errors, advance: (ms: number) => (now += ms), now: () => now };
  }

  it('settles a file once it stayed unchanged for the quiet period; a change restarts the period', async () => {
    const script = new Map([['/a', file(1, 9000)]]);
    const { t, settled, advance } = tracker(script);
    t.watch('/a');
    await t.poll();
    expect(t.oldestWaitingSince()).toBe(9000); // written before it was first seen
    advance(900);
    script.set('/a', file(2, 10_900));
    await t.poll();
    advance(900);
    await t.poll();
    expect(settled).toEqual([]);
    expect(t.oldestWaitingSince()).toBe(10_000); // first seen before its latest write
    advance(100);
    await t.poll();
    expect(settled).toEqual([['/a', file(2, 10_900), 10_000]]);
    expect(t.has('/a')).toBe(false);
    expect(t.oldestWaitingSince()).toBeUndefined();
    await t.stop();
  });

  it('takes a file written long before it was first seen after half a quiet period of looking, not a whole one', async () => {
    const script = new Map([['/old', file(5, 1000)]]);
    const { t, settled, advance } = tracker(script);
    t.watch('/old');
    await t.poll();
    expect(settled).toEqual([]); // one look is not enough, however old the mtime says it is
    advance(499);
    await t.poll();
    expect(settled).toEqual([]);
    advance(1);
    await t.poll();
    expect(settled.map(([p]) => p)).toEqual(['/old']);
    await t.stop();
  });

  it('an old-looking file that changes between looks waits the whole quiet period, and a change stamped by another clock turns the shortcut off', async () => {
    const script = new Map([['/moved', file(5, 1000)]]);
    const { t, settled, advance } = tracker(script);
    t.watch('/moved');
    await t.poll();
    advance(500);
    script.set('/moved', file(9, 2000)); // still being written, by a machine whose clock is hours behind
    await t.poll();
    advance(999);
    await t.poll();
    expect(settled).toEqual([]);
    advance(1);
    await t.poll();
    expect(settled.map(([p]) => p)).toEqual(['/moved']);
    script.set('/next', file(1, 1000));
    t.watch('/next');
    await t.poll();
    advance(500);
    await t.poll();
    expect(settled.map(([p]) => p)).toEqual(['/moved']); // mtimes are not trusted any more
    advance(500);
    await t.poll();
    expect(settled.map(([p]) => p)).toEqual(['/moved', '/next']);
    await t.stop();
  });

  it('settles a missing path only after it stayed missing for the quiet period, and does not count it as lag', async () => {
    const script = new Map([['/gone', missing]]);
    const { t, settled, advance } = tracker(script);
    t.watch('/gone');
    await t.poll();
    expect(t.oldestWaitingSince()).toBeUndefined();
    advance(999);
    await t.poll();
    expect(settled).toHaveLength(0);
    advance(1);
    await t.poll();
    expect(settled.map(([p, o]) => [p, o])).toEqual([['/gone', missing]]);
    await t.stop();
  });

  it('hands an unreadable path to onError and forgets it', async () => {
    const { t, errors, settled } = tracker(new Map());
    t.watch('/locked');
    await t.poll();
    expect(errors).toEqual(['/locked']);
    expect(settled).toEqual([]);
    expect(t.has('/locked')).toBe(false);
    await t.stop();
  });
});
