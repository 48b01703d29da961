// Folder source records mode on real folders and a real outbox: per-record changes, rejected rows, keys, resume.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderSourceSchema } from '../../../../connectors/sources/folder/config.js';
import { contentHash, fileVersionKey } from '../../../../connectors/sources/folder/file-version.js';
import { recordKey } from '../../../../connectors/sources/folder/records/index.js';
import { waitFor } from '../../../support/agent-process.js';
import { bodies, connection, sleep, useFolderHarness } from './harness.js';

const h = useFolderHarness('folder-records-');

const csvRows = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => `${from + i},customer ${from + i},${(from + i) * 3}.50`);

describe('folder source: records mode', () => {
  it('sends each CSV row as its own JSON change and keeps a bad row as a dead letter with file, line and reason', async () => {
    const inbox = h.folder('in');
    const run = await h.start({
      path: inbox,
      quietPeriodMs: 50,
      records: { format: 'csv', businessKeyColumn: 'invoice' },
    });
    const text = 'invoice,amount\nA-1,10\nA-2,20,extra\nA-3,30\n';
    h.write(join(inbox, 'invoices.csv'), text);
    await run.waitForEmitted(3);

    const versionKey = fileVersionKey('invoices.csv', contentHash(Buffer.from(text)));
    const [first, bad, third] = run.emitted;
    expect(bodies([first!, third!])).toEqual([
      '{"invoice":"A-1","amount":"10"}',
      '{"invoice":"A-3","amount":"30"}',
    ]);
    expect(first?.businessKey).toBe('A-1');
    expect(first?.contentType).toBe('application/json');
    expect(first?.idempotencyKey).toBe(
      recordKey(versionKey, { index: 0, line: 2, value: { invoice: 'A-1', amount: '10' } }),
    );
    expect(first?.origin).toMatchObject({ file: 'invoices.csv', row: 1, line: 2 });

    // The bad row went straight to the dead letters, in the same transaction, with its whole text kept.
    const dead = h.outbox().deadLetters({ connection, limit: 10 });
    expect(dead).toHaveLength(1);
    expect(dead[0]?.lastError).toMatch(
      /^rejected at capture \(invoices\.csv line 3\): row has 3 fields but the header has 2/,
    );
    expect(dead[0]?.payload?.toString()).toBe('A-2,20,extra');
    expect(dead[0]?.contentType).toBe('text/csv');
    expect(bad?.rejected).toBeDefined();
    expect(h.outbox().counts(connection)).toMatchObject({ pending: 2, dead: 1 });
    const timeline = h.outbox().timeline(dead[0]!.id);
    expect(timeline?.events.map((e) => e.kind)).toEqual(['captured', 'rejected']);

    // Status says what happened to the file, and the rest of the file was not held back.
    expect(run.health().detail).toMatch(/invoices\.csv.*1 of its 3 rows were rejected/);

    // Not replayable as it is: the row as captured is not what the API expects (it would only be refused again).
    // It keeps its reason, and is fixed at the source or discarded.
    expect(h.outbox().replay([dead[0]!.id], 'test')).toEqual({ done: [], skipped: [dead[0]!.id] });
    expect(h.outbox().counts(connection)).toMatchObject({ pending: 2, dead: 1 });
    expect(h.outbox().deadLetters({ connection, limit: 10 })[0]?.lastError).toContain('row has 3 fields');
  });

  it('with a key column, a row repeated unchanged in a later export is not sent again; a changed row is', async () => {
    const inbox = h.folder('in');
    const run = await h.start({
      path: inbox,
      quietPeriodMs: 50,
      records: { format: 'ndjson', keyColumn: 'id' },
    });
    h.write(join(inbox, 'day1.ndjson'), '{"id":1,"v":"a"}\n{"id":2,"v":"b"}\n');
    await run.waitForEmitted(2);
    h.write(join(inbox, 'day2.ndjson'), '{"id":1,"v":"a"}\n{"id":2,"v":"B"}\n');
    await run.waitForEmitted(4);
    await sleep(100);
    expect(h.outbox().counts(connection).pending).toBe(3); // the unchanged id 1 was stored once
    // Versions of one entity keep their order: they share the ordering key.
    expect(run.emitted[1]?.orderingKey).toBe('record:2');
    expect(run.emitted[3]?.orderingKey).toBe('record:2');
    expect(run.emitted[3]?.payload.toString()).toBe('{"id":2,"v":"B"}');
  });

  it('a row without a value in the key column is rejected, not dropped', async () => {
    const inbox = h.folder('in');
    const run = await h.start({
      path: inbox,
      quietPeriodMs: 50,
      records: { format: 'csv', keyColumn: 'id' },
    });
    h.write(join(inbox, 'a.csv'), 'id,name\n1,x\n,nameless\n');
    await run.waitForEmitted(2);
    const dead = h.outbox().deadLetters({ connection, limit: 10 });
    expect(dead.map((d) => d.lastError)).toEqual([
      expect.stringMatching(/line 3\).*has no value in key column "id"/),
    ]);
    expect(dead[0]?.payload?.toString()).toBe(',nameless');
  });

  it('binary junk in a CSV folder becomes one clear rejection; other files are captured', async () => {
    const inbox = h.folder('in');
    const run = await h.start({ path: inbox, quietPeriodMs: 50, records: { format: 'csv' } });
    h.write(join(inbox, 'photo.csv'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0xff, 0xfe, 0, 1]));
    h.write(join(inbox, 'good.csv'), 'id\n7\n');
    await run.waitForEmitted(2);
    const dead = h.outbox().deadLetters({ connection, limit: 10 });
    expect(dead).toHaveLength(1);
    expect(dead[0]?.lastError).toMatch(/photo\.csv.*binary/i);
    expect(dead[0]?.contentType).toBe('application/vnd.integration-agent.rejected-row+json');
    expect(h.outbox().counts(connection).pending).toBe(1);
  });

  it('XML records with a record path carry their business key', async () => {
    const inbox = h.folder('in');
    const run = await h.start({
      path: inbox,
      quietPeriodMs: 50,
      records: { format: 'xml', recordPath: 'Export/Order', businessKeyColumn: '@no' },
    });
    h.write(
      join(inbox, 'orders.xml'),
      '<Export><Order no="7"><Total>3</Total></Order><Order no="8"/></Export>',
    );
    await run.waitForEmitted(2);
    expect(run.emitted.map((c) => c.businessKey)).toEqual(['7', '8']);
    expect(JSON.parse(run.emitted[0]!.payload.toString())).toEqual({ '@no': '7', Total: '3' });
  });

  it('resumes a file cut off part way at the last stored batch, without storing a row twice', async () => {
    const inbox = h.folder('in');
    const config = { path: inbox, quietPeriodMs: 50, records: { format: 'csv', header: false } };
    const first = await h.start(config);
    first.afterEmit = (batch) => {
      if (batch.changes.length > 0) first.source.pause('test: outbox full');
    };
    h.write(join(inbox, 'big.csv'), `${csvRows(5000).join('\n')}\n`);
    await waitFor(() => first.emitted.length > 0, 8000, 'the first batch');
    await sleep(200);
    const storedFirst = first.emitted.length;
    expect(storedFirst).toBeLessThan(5000);
    const state = JSON.parse(first.checkpoint('file:big.csv') ?? '{}') as { partial?: number };
    expect(state.partial).toBe(storedFirst);
    expect(first.health().state).toBe('paused');
    await h.stop(first);

    const second = await h.start(config);
    await second.waitForEmitted(5000 - storedFirst);
    await sleep(100);
    expect(second.emitted).toHaveLength(5000 - storedFirst);
    expect(second.emitted[0]?.origin).toMatchObject({ row: storedFirst + 1 });
    expect(h.outbox().counts(connection).pending).toBe(5000);
    const done = JSON.parse(second.checkpoint('file:big.csv') ?? '{}') as {
      partial?: number;
      records?: number;
    };
    expect(done).toMatchObject({ records: 5000 });
    expect(done.partial).toBeUndefined();
  });

  it('a paused capture continues in the same run once resumed', async () => {
    const inbox = h.folder('in');
    const run = await h.start({ path: inbox, quietPeriodMs: 50, records: { format: 'csv', header: false } });
    let paused = false;
    run.afterEmit = (batch) => {
      if (!paused && batch.changes.length > 0) {
        paused = true;
        run.source.pause('test: outbox full');
      }
    };
    h.write(join(inbox, 'big.csv'), `${csvRows(4500).join('\n')}\n`);
    await waitFor(() => run.emitted.length > 0, 8000, 'the first batch');
    await sleep(150);
    expect(run.emitted.length).toBeLessThan(4500);
    run.source.resume();
    await run.waitForEmitted(4500);
    expect(new Set(run.emitted.map((c) => c.idempotencyKey)).size).toBe(4500);
  });

  it('refuses archive or delete after delivery in records mode, with the fix', () => {
    const result = folderSourceSchema.safeParse({
      type: 'folder',
      path: '/in',
      records: { format: 'csv' },
      afterDelivery: 'delete',
    });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toMatch(/whole-file mode only/);
  });

  it('says the mode and the records guarantee in status', async () => {
    const inbox = h.folder('in');
    const run = await h.start({
      path: inbox,
      quietPeriodMs: 50,
      records: { format: 'csv', keyColumn: 'id' },
    });
    expect(run.health().mode).toMatch(/^records \(CSV\)/);
    expect(run.health().guarantee).toMatch(/identified by its id value and content/);
    expect(run.health().guarantee).toMatch(/dead letters with file, line and reason/);
  });
});
