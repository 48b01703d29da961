// Records mode on files the parser stops reading early (binary data): each ends as a dead letter with the reason.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../support/seeded-random.js';
import { connection, useFolderHarness } from './harness.js';

const h = useFolderHarness('folder-records-stop-');

/** 5 MB of reproducible random bytes (the parse stops in the first chunk, long before the end). */
function randomFile(seed: number): Buffer {
  const random = seededRandom(seed);
  const bytes = Buffer.alloc(5 * 1024 * 1024);
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = Math.floor(random() * 256);
  return bytes;
}

describe('folder source: records mode on a file it stops reading', () => {
  it('a 5 MB file of random bytes in a CSV folder ends as a dead letter with file and reason, not re-watched forever', async () => {
    const inbox = h.folder('in');
    const run = await h.start({ path: inbox, quietPeriodMs: 50, records: { format: 'csv' } });
    h.write(join(inbox, 'noise.csv'), randomFile(7));
    h.write(join(inbox, 'after.csv'), `id\n${randomBytes(4).toString('hex')}\n`);
    await run.waitForEmitted(2);
    const dead = h.outbox().deadLetters({ connection, limit: 10 });
    expect(dead).toHaveLength(1);
    expect(dead[0]?.lastError).toMatch(/^rejected at capture \(noise\.csv\): .*stopped reading this file/);
    expect(run.health().detail).toMatch(/noise\.csv: 1 row was rejected \(the whole file\)/);
  });
});
