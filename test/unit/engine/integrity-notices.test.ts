// Status notices of the outbox check after open: one while it runs, gone when healthy, an error that says what to do on damage.
import fs from 'node:fs';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Notice } from '../../../preload/contract/status.js';
import { watchOutboxIntegrity } from '../../../main/engine/integrity-notices.js';
import { batch, change, defaultOptions, outboxHarness } from '../outbox/outbox-fixture.js';

const h = outboxHarness();

function board() {
  const notices: Notice[] = [];
  return {
    notices,
    addNotice: (notice: Notice) => notices.push(notice),
    removeNotice: (notice: Notice) => notices.splice(notices.indexOf(notice), 1),
  };
}

function seeded(businessKeys: boolean): string {
  const file = h.file();
  const outbox = h.open(file);
  outbox.enqueue(
    'conn-a',
    batch(
      Array.from({ length: 50 }, (_, i) => change(`k${i}`, businessKeys ? { businessKey: `b${i}` } : {})),
    ),
  );
  outbox.close();
  return file;
}

describe('outbox integrity notices', () => {
  it('says the check runs, and drops that once the file is found healthy', async () => {
    const outbox = h.open(seeded(false), { ...defaultOptions, inlineCheckMaxBytes: 0 });
    const b = board();
    watchOutboxIntegrity(outbox, b, pino({ level: 'silent' }));
    expect(b.notices.map((n) => n.message)).toEqual([
      expect.stringMatching(/^Checking the outbox file for damage/),
    ]);
    await outbox.integrityCheck;
    await Promise.resolve();
    expect(b.notices).toEqual([]);
  });

  it('damage found after open stays in status as an error that says to restart and how to salvage', async () => {
    const file = seeded(true);
    const probe = h.open(file);
    const page = probe.db
      .prepare(`SELECT rootpage FROM sqlite_master WHERE name = 'records_by_business_key'`)
      .pluck()
      .get() as number;
    probe.close();
    const bytes = fs.readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    bytes.fill(0x5a, (page - 1) * pageSize, page * pageSize);
    fs.writeFileSync(file, bytes);
    const outbox = h.open(file, { ...defaultOptions, inlineCheckMaxBytes: 0 });
    const b = board();
    watchOutboxIntegrity(outbox, b, pino({ level: 'silent' }));
    await outbox.integrityCheck;
    await Promise.resolve();
    expect(b.notices).toHaveLength(1);
    expect(b.notices[0]!.level).toBe('error');
    expect(b.notices[0]!.message).toMatch(/^The outbox file is damaged \(.+\)\. Restart the agent/);
    expect(b.notices[0]!.message).toContain('integration-agent outbox salvage FILE');
  });

  it('a file checked before use gets no notice at all', () => {
    const outbox = h.open(seeded(false));
    const b = board();
    watchOutboxIntegrity(outbox, b, pino({ level: 'silent' }));
    expect(outbox.integrityCheck).toBeUndefined();
    expect(b.notices).toEqual([]);
  });
});
