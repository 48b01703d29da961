// The in-flight limit hands free slots to the lowest rank first, so the oldest send of a batch finishes first.
import { describe, expect, it } from 'vitest';
import { InFlightLimit } from '../../../../connectors/destinations/mqtt/in-flight-limit.js';

const open = new AbortController().signal;

describe('in-flight limit', () => {
  it('grants freed slots by rank, lowest first, and in arrival order within a rank', async () => {
    const limit = new InFlightLimit(1);
    expect(limit.tryAcquire()).toBe(true);
    expect(limit.tryAcquire()).toBe(false);
    const granted: string[] = [];
    const wait = (name: string, rank: number) =>
      limit.acquire(open, rank).then((ok) => {
        granted.push(name);
        return ok;
      });
    const waits = [wait('young', 7), wait('old', 2), wait('old-again', 2), wait('oldest', 1)];
    for (let i = 0; i < 4; i++) {
      limit.release();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await Promise.all(waits)).toEqual([true, true, true, true]);
    expect(granted).toEqual(['oldest', 'old', 'old-again', 'young']);
  });

  it('gives up a wait when its signal aborts, and the slot goes to the next waiter', async () => {
    const limit = new InFlightLimit(1);
    expect(limit.tryAcquire()).toBe(true);
    const controller = new AbortController();
    const cancelled = limit.acquire(controller.signal, 0);
    const next = limit.acquire(open, 5);
    controller.abort();
    expect(await cancelled).toBe(false);
    limit.release();
    expect(await next).toBe(true);
    expect(limit.tryAcquire()).toBe(false);
  });
});
