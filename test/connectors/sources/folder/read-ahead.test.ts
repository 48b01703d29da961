// Read-ahead of settled files: results in order, a bounded number read at once, a big file only at its turn.
import { describe, expect, it } from 'vitest';
import { readAhead, type ReadTurn } from '../../../../connectors/sources/folder/read-ahead.js';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A fake file read: `size` bytes, done after `ms`; counts the reads under way. */
function reader(sizes: number[], delays: number[]) {
  let running = 0;
  const log: string[] = [];
  const stats = { most: 0, log };
  const read = async (i: number, turn: ReadTurn) => {
    running += 1;
    stats.most = Math.max(stats.most, running);
    await tick(1);
    await turn.mayRead(sizes[i] as number);
    log.push(`read ${i}`);
    await tick(delays[i] as number);
    log.push(`done ${i}`);
    running -= 1;
    return i;
  };
  return { read, stats };
}

async function take(generator: AsyncGenerator<number>, log: string[]): Promise<number[]> {
  const got: number[] = [];
  for await (const i of generator) {
    log.push(`took ${i}`);
    got.push(i);
  }
  return got;
}

describe('readAhead', () => {
  it('yields every result in order while reading up to atOnce files at once', async () => {
    const count = 40;
    const { read, stats } = reader(
      Array.from({ length: count }, () => 100),
      Array.from({ length: count }, (_, i) => (i * 7) % 5), // later files often finish first
    );
    const got = await take(
      readAhead([...Array(count).keys()], { atOnce: 8, smallBytes: 1000 }, read),
      stats.log,
    );
    expect(got).toEqual([...Array(count).keys()]);
    expect(stats.most).toBe(8);
  });

  it('reads a file over the small limit only once every earlier one was taken', async () => {
    const { read, stats } = reader([10, 10, 5000, 10, 10], [20, 20, 1, 1, 1]);
    await take(readAhead([0, 1, 2, 3, 4], { atOnce: 4, smallBytes: 1000 }, read), stats.log);
    const at = (entry: string) => stats.log.indexOf(entry);
    expect(at('read 3')).toBeLessThan(at('took 0')); // small ones went ahead
    expect(at('read 2')).toBeGreaterThan(at('took 1')); // the big one waited for its turn
  });

  it('when the consumer stops early, the reads under way finish before it returns', async () => {
    const { read, stats } = reader([10, 10, 10, 10], [1, 30, 30, 30]);
    const generator = readAhead([0, 1, 2, 3], { atOnce: 3, smallBytes: 1000 }, read);
    await expect(
      (async () => {
        for await (const i of generator) if (i === 0) throw new Error('the outbox refused');
      })(),
    ).rejects.toThrow('the outbox refused');
    expect(stats.log).toEqual(expect.arrayContaining(['done 1', 'done 2']));
  });

  it('a read that fails while an earlier one is still under way is thrown at its turn, not left unhandled', async () => {
    const unhandled: unknown[] = [];
    const note = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', note);
    try {
      const read = async (i: number) => {
        await tick(i === 0 ? 40 : 1);
        if (i === 2) throw new Error('disk I/O error');
        return i;
      };
      const got: number[] = [];
      await expect(
        (async () => {
          for await (const i of readAhead([0, 1, 2, 3], { atOnce: 4, smallBytes: 1000 }, read)) got.push(i);
        })(),
      ).rejects.toThrow('disk I/O error');
      expect(got).toEqual([0, 1]);
      await tick(10);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', note);
    }
  });
});
