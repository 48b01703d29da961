// The source's own removals: a watcher event for a path it just moved away is its echo for keepMs after the latest move.
import { describe, expect, it } from 'vitest';
import { OwnRemovals } from '../../../../connectors/sources/folder/own-removals.js';

describe('own removals', () => {
  it('counts keepMs from the latest move of a path, and forgets the others after it', () => {
    let now = 0;
    const removals = new OwnRemovals(
      10,
      () => now,
      () => Promise.resolve({ exists: false }),
    );
    removals.add('a');
    now = 5;
    removals.add('b');
    now = 8;
    removals.add('a'); // moved away again: counts from here
    now = 16;
    removals.add('c'); // prunes 'b' (11 ms old) on the way
    expect([removals.has('a'), removals.has('b'), removals.has('c')]).toEqual([true, false, true]);
    now = 19;
    expect(removals.has('a')).toBe(false);
  });

  it('keeps every path moved within keepMs, however many', () => {
    let now = 0;
    const removals = new OwnRemovals(
      60_000,
      () => now,
      () => Promise.resolve({ exists: false }),
    );
    for (let i = 0; i < 20_000; i++) {
      now += 1;
      removals.add(`/in/file-${i}.json`);
    }
    expect(removals.has('/in/file-0.json')).toBe(true);
    expect(removals.has('/in/file-19999.json')).toBe(true);
  });

  it('routes an echo to one look, and watches the path only if something is there again', async () => {
    const seen = new Map([['back', true]]);
    const removals = new OwnRemovals(10_000, Date.now, (path) =>
      Promise.resolve(
        seen.get(path) ? { exists: true, isFile: true, size: 1, mtimeMs: 1 } : { exists: false },
      ),
    );
    const watched: string[] = [];
    for (const path of ['gone', 'back']) removals.add(path);
    for (const path of ['gone', 'back', 'other']) removals.route(path, (p) => watched.push(p));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(watched.sort()).toEqual(['back', 'other']);
  });
});
