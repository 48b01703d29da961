// WalSync: an fsync of the WAL off the event loop, shared by the calls that arrive while one runs.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WalSync } from '../../../main/outbox/wal-sync.js';
import { useTempDir } from '../../support/temp-dir.js';
import { batch, change, outboxHarness } from './outbox-fixture.js';

const tempDir = useTempDir();
const h = outboxHarness();

describe('WAL sync', () => {
  it('calls made while an fsync runs share the next one; a call after both starts its own', async () => {
    const wal = path.join(tempDir(), 'x.db-wal');
    fs.writeFileSync(wal, 'frames');
    const sync = new WalSync(wal);
    const first = sync.durable();
    const second = sync.durable();
    const third = sync.durable();
    expect(second).toBe(third); // both arrived during the first: one more fsync covers them
    expect(second).not.toBe(first);
    await Promise.all([first, second]);
    const fourth = sync.durable();
    expect(fourth).not.toBe(second);
    await fourth;
  });

  it('no WAL file is nothing to sync; any other failure rejects', async () => {
    await expect(new WalSync(path.join(tempDir(), 'gone.db-wal')).durable()).resolves.toBeUndefined();
    const folder = path.join(tempDir(), 'not-a-file');
    fs.mkdirSync(folder);
    const notAFile = new WalSync(path.join(folder, 'missing-parent', 'x.db-wal'));
    await expect(notAFile.durable()).resolves.toBeUndefined(); // ENOENT again
    fs.writeFileSync(path.join(folder, 'f'), '');
    await expect(new WalSync(path.join(folder, 'f', 'x.db-wal')).durable()).rejects.toThrow(/ENOTDIR/);
  });

  it('a deferred group settle on a FULL outbox commits without fsync, stays FULL, and durable() resolves', async () => {
    const { clock, outbox } = h.setup();
    outbox.enqueue('conn-a', batch([change('a')]));
    const lease = outbox.lease({ connection: 'conn-a', max: 1, maxBytes: 1e6, leaseMs: 60_000 });
    const [result] = outbox.settleGroups(
      [
        {
          token: lease.token,
          settlements: [
            {
              id: lease.records[0]!.id,
              kind: 'delivered',
              receipt: { code: 'HTTP 201', at: clock() },
              latencyMs: 1,
            },
          ],
        },
      ],
      'deferred',
    );
    expect(result?.settled).toBe(1);
    expect(outbox.db.pragma('synchronous', { simple: true })).toBe(2);
    await expect(outbox.durable()).resolves.toBeUndefined();
    expect(fs.existsSync(`${outbox.db.name}-wal`)).toBe(true);
  });
});
