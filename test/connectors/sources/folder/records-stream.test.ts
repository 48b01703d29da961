// Records mode, streaming: backpressure to the file read, bounded heap on a large file, abort, and read errors.
import { getEventListeners } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import {
  parseRecordBatches,
  parseRecords,
  recordFormatSchema,
} from '../../../../connectors/sources/folder/records/index.js';
import { useTempDir } from '../../../support/temp-dir.js';

const MiB = 1024 * 1024;
const csv = recordFormatSchema.parse({ format: 'csv' });

/** A CSV source that makes rows only when read, counting how many bytes it has handed out. */
function lazyCsv(rows: number): { input: Readable; produced: () => number; closed: () => boolean } {
  let produced = 0;
  let closed = false;
  async function* generate(): AsyncGenerator<Buffer> {
    try {
      yield Buffer.from('id,name,amount,note\n');
      for (let row = 0; row < rows; row += 200) {
        let text = '';
        for (let i = row; i < row + 200; i++) text += `${i},Customer ${i},${i * 3}.50,"note, ${i}"\n`;
        const bytes = Buffer.from(text);
        produced += bytes.length;
        yield bytes;
        await Promise.resolve();
      }
    } finally {
      closed = true;
    }
  }
  return { input: Readable.from(generate()), produced: () => produced, closed: () => closed };
}

describe('backpressure', () => {
  it('reads no further ahead than a few chunks while the consumer waits, and closes the input on break', async () => {
    const source = lazyCsv(2_000_000); // about 90 MB if it were all read
    let seen = 0;
    for await (const event of parseRecords(source.input, csv)) {
      expect(event.kind).toBe('record');
      seen++;
      if (seen === 10) await sleep(300); // a slow consumer: a reader without backpressure would race ahead now
      if (seen === 20) break;
    }
    expect(source.produced()).toBeLessThan(2 * MiB);
    await sleep(10);
    expect(source.closed()).toBe(true);
    expect(source.input.destroyed).toBe(true);
  });
});

describe('bounded memory', () => {
  const dir = useTempDir({ prefix: 'records-stream-' });

  it('parses a 48 MB CSV file with a heap that grows by far less than the file', async () => {
    const path = join(dir(), 'big.csv');
    const out = createWriteStream(path);
    out.write('id,name,amount,note\n');
    let rows = 0;
    let bytes = 0;
    while (bytes < 48 * MiB) {
      let text = '';
      for (let i = 0; i < 5000; i++, rows++)
        text += `${rows},Customer ${rows},${rows}.25,"multi\nline, ""quoted"""\n`;
      bytes += Buffer.byteLength(text);
      if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    out.end();
    await finished(out);

    const before = process.memoryUsage().heapUsed;
    let peak = before;
    let seen = 0;
    let lastLine = 0;
    for await (const batch of parseRecordBatches(createReadStream(path), csv)) {
      for (const event of batch) {
        if (event.kind !== 'record') throw new Error(`unexpected rejection: ${JSON.stringify(event)}`);
        seen++;
        lastLine = event.record.line;
      }
      if (seen % 50 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    expect(seen).toBe(rows);
    expect(lastLine).toBe(2 + (rows - 1) * 2);
    // Holding the file's records would take several times its 48 MB; streaming stays within garbage-collector slack.
    expect(peak - before).toBeLessThan(32 * MiB);
  });
});

describe('abort', () => {
  const dir = useTempDir({ prefix: 'records-abort-' });

  it('throws the abort reason at the next record and closes the file', async () => {
    const path = join(dir(), 'rows.csv');
    const out = createWriteStream(path);
    out.end('id\n' + Array.from({ length: 50_000 }, (_, i) => `${i}\n`).join(''));
    await finished(out);
    const input = createReadStream(path);
    const controller = new AbortController();
    let seen = 0;
    const run = async () => {
      for await (const event of parseRecords(input, csv, controller.signal)) {
        void event;
        if (++seen === 5) controller.abort();
      }
    };
    await expect(run()).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toBe(5);
    await sleep(10);
    expect(input.destroyed).toBe(true);
  });

  it('interrupts a read that is waiting for bytes', async () => {
    const stalled = new Readable({ read() {} }); // never delivers anything
    const controller = new AbortController();
    const run = async () => {
      for await (const event of parseRecords(stalled, csv, controller.signal)) void event;
    };
    const done = run();
    setTimeout(() => controller.abort(), 50);
    await expect(done).rejects.toMatchObject({ name: 'AbortError' });
    expect(stalled.destroyed).toBe(true);
  });

  it('leaves no listener behind on a long-lived signal shared by many files', async () => {
    const controller = new AbortController();
    for (let file = 0; file < 20; file++) {
      for await (const event of parseRecords(lazyCsv(3).input, csv, controller.signal)) void event;
    }
    await sleep(10);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('reads nothing when the signal is already aborted', async () => {
    const source = lazyCsv(10);
    const run = async () => {
      for await (const event of parseRecords(source.input, csv, AbortSignal.abort())) void event;
    };
    await expect(run()).rejects.toMatchObject({ name: 'AbortError' });
    expect(source.produced()).toBe(0);
  });
});

describe('read errors', () => {
  const dir = useTempDir({ prefix: 'records-errors-' });

  it('throws an error reading the input instead of turning it into a rejected row', async () => {
    const run = async () => {
      for await (const event of parseRecords(createReadStream(join(dir(), 'vanished.csv')), csv)) void event;
    };
    await expect(run()).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
