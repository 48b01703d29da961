import { describe, expect, it } from 'vitest';
import { IdleMemoryTrim, quietBeforeTrimMs } from '../../../main/observability/idle-memory-trim.js';

const MiB = 1024 * 1024;

describe('idle memory trim', () => {
  it('collects once quiet, again 3 s apart until the young generation has shrunk, and anew after activity', () => {
    const at: number[] = [];
    let young = 16 * MiB;
    const trim = new IdleMemoryTrim(0, { collect: () => at.push(clock), youngBytes: () => young });
    let clock = 0;
    for (clock = 0; clock <= 30_000; clock += 1_000) {
      if (clock === 11_000) young = 1 * MiB; // V8 shrank it at the third collection
      trim.check(clock);
    }
    expect(at).toEqual([quietBeforeTrimMs, 8_000, 11_000]);
    young = 16 * MiB;
    trim.noteActivity(40_000);
    for (clock = 40_000; clock <= 80_000; clock += 1_000) trim.check(clock);
    expect(at.slice(3)).toEqual([45_000, 48_000, 51_000, 54_000]); // gives up after four
  });

  it("with V8's own collector, frees the garbage a burst of work left behind", () => {
    const trim = new IdleMemoryTrim(0);
    // Held only inside this function: unreachable once it returns the heap size measured while it was held.
    const held = (() => {
      const garbage = Array.from({ length: 400_000 }, (_, n) => ({ n, text: `record ${n}` }));
      expect(garbage.length).toBe(400_000);
      return process.memoryUsage().heapUsed;
    })();
    expect(trim.check(quietBeforeTrimMs)).toBe(true);
    const after = process.memoryUsage().heapUsed;
    expect(held - after).toBeGreaterThan(15 * MiB);
    expect(typeof (globalThis as { gc?: unknown }).gc).toBe('undefined');
  });
});
