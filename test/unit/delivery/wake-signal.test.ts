// WakeSignal: notify releases every current waiter, waits end on their timeout, and timed-out waiters are not kept.
import { describe, expect, it } from 'vitest';
import { WakeSignal } from '../../../main/delivery/wake-signal.js';

/** Resolves to 'woken' if the promise settles within `ms`, else 'pending'. */
async function settledWithin(promise: Promise<void>, ms: number): Promise<'woken' | 'pending'> {
  let timer: NodeJS.Timeout | undefined;
  const pending = new Promise<'pending'>((resolve) => {
    timer = setTimeout(() => resolve('pending'), ms);
  });
  try {
    return await Promise.race([promise.then(() => 'woken' as const), pending]);
  } finally {
    clearTimeout(timer);
  }
}

function waiterCount(signal: WakeSignal): number {
  return (signal as unknown as { waiters: Set<unknown> }).waiters.size;
}

describe('WakeSignal', () => {
  it('releases every current waiter on notify, long before their timeouts', async () => {
    const signal = new WakeSignal();
    const waits = [signal.wait(60_000), signal.wait(60_000), signal.wait(60_000)];
    expect(await settledWithin(waits[0]!, 20)).toBe('pending');
    const started = Date.now();
    signal.notify();
    await Promise.all(waits);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(waiterCount(signal)).toBe(0);
  });

  it('does not wake waiters that arrive after a notify', async () => {
    const signal = new WakeSignal();
    signal.notify();
    const late = signal.wait(60_000);
    expect(await settledWithin(late, 30)).toBe('pending');
    signal.notify();
    await late;
  });

  it('resolves on its own once the timeout passes', async () => {
    const signal = new WakeSignal();
    const started = Date.now();
    await signal.wait(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('treats a negative timeout as zero', async () => {
    const signal = new WakeSignal();
    expect(await settledWithin(signal.wait(-100), 500)).toBe('woken');
  });

  it('forgets waiters that timed out, so nothing piles up', async () => {
    const signal = new WakeSignal();
    await Promise.all(Array.from({ length: 500 }, () => signal.wait(1)));
    expect(waiterCount(signal)).toBe(0);
    expect(() => signal.notify()).not.toThrow();
    const next = signal.wait(60_000);
    expect(waiterCount(signal)).toBe(1);
    signal.notify();
    await next;
    expect(waiterCount(signal)).toBe(0);
  });
});
