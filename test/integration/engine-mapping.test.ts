// The engine in-process with a mapping: a German CSV arrives as typed JSON, failures are kept, versions hold.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mappingSchema } from '../../main/config/mapping-config.js';
import type { Engine } from '../../main/engine/engine.js';
import { remapDeadLetters } from '../../main/shaping/remap-dead-letters.js';
import { waitFor } from '../support/agent-process.js';
import { connectionOf, useEngineHarness, waitForStatus } from '../support/engine-harness.js';

const h = useEngineHarness('engine-mapping-');

const header = 'Rechnungsnr;Kunde;Betrag;Bezahlt;Datum;Erfasst;Status';
const rowA1 = 'A-1; Müller GmbH ;1.234,56;J;31.03.2026;31.03.2026 14:05;offen';
const rowA2 = 'A-2;Schmidt AG;99,90;N;01.01.2026;01.01.2026 09:00;storniert';
const csv = (...rows: string[]) => `${header}\n${rows.join('\n')}\n`;

const records = { records: { format: 'csv', delimiter: ';', businessKeyColumn: 'Rechnungsnr' } };

const invoiceExpression = `{
  "invoiceNo": Rechnungsnr,
  "customer": $text(Kunde),
  "amount": Betrag,
  "paid": Bezahlt,
  "issued": Datum,
  "recordedAt": $datetime(Erfasst, 'dd.MM.yyyy HH:mm', 'Europe/Berlin')
}`;

const invoiceMapping = (version: number, locale = 'de-DE', extra: Record<string, unknown> = {}) => ({
  version,
  expression: invoiceExpression,
  convert: {
    Betrag: { type: 'number', locale },
    Bezahlt: { type: 'boolean' },
    Datum: { type: 'date', format: 'dd.MM.yyyy' },
  },
  ...extra,
});

const bodies = (ingest: { applied(): { body: Buffer }[] }) =>
  ingest
    .applied()
    .map((a) => JSON.parse(a.body.toString()) as Record<string, unknown>)
    .sort((a, b) => String(a['invoiceNo']).localeCompare(String(b['invoiceNo'])));

const storedPayload = (engine: Engine, businessKey: string) =>
  engine.outbox.db
    .prepare('SELECT payload FROM records JOIN record_payloads ON record_id = id WHERE business_key = ?')
    .pluck()
    .get(businessKey) as Buffer;

const recordOf = (engine: Engine, businessKey: string) => {
  const [record] = engine.outbox.search({ businessKey, limit: 1 });
  if (!record) throw new Error(`no record ${businessKey}`);
  return record;
};

describe('engine with a mapping', () => {
  it('sends the rows of a de-DE invoice CSV as typed JSON under the keys the source gave them', async () => {
    const mapped = h.paths();
    const ingest = await h.ingest();
    const engine = await h.engine({
      ...mapped,
      url: ingest.url,
      source: records,
      mapping: invoiceMapping(1),
    });
    writeFileSync(join(mapped.inbox, 'invoices.csv'), csv(rowA1, rowA2));
    await waitFor(() => ingest.applied().length === 2, 10_000, 'two mapped rows');

    expect(bodies(ingest)).toEqual([
      {
        invoiceNo: 'A-1',
        customer: 'Müller GmbH',
        amount: 1234.56,
        paid: true,
        issued: '2026-03-31',
        recordedAt: '2026-03-31T14:05:00.000+02:00',
      },
      {
        invoiceNo: 'A-2',
        customer: 'Schmidt AG',
        amount: 99.9,
        paid: false,
        issued: '2026-01-01',
        recordedAt: '2026-01-01T09:00:00.000+01:00',
      },
    ]);
    expect(ingest.applied().every((a) => a.contentType.startsWith('application/json'))).toBe(true);
    const record = recordOf(engine, 'A-1');
    const events = engine.outbox.timeline(record.id)?.events ?? [];
    expect(events.find((e) => e.kind === 'captured')?.detail).toMatchObject({ mappingVersion: 1 });
    expect(events.find((e) => e.kind === 'queued')?.detail).toMatchObject({ mappingVersion: 1 });

    // The same file without a mapping: the same keys (the mapping never changes a record's identity).
    const plainInbox = join(mapped.dataDir, '..', 'plain-inbox');
    const plainIngest = await h.ingest();
    const plain = await h.engine({
      dataDir: join(mapped.dataDir, '..', 'plain-data'),
      inbox: plainInbox,
      url: plainIngest.url,
      source: records,
    });
    writeFileSync(join(plainInbox, 'invoices.csv'), csv(rowA1, rowA2));
    await waitFor(() => plainIngest.applied().length === 2, 10_000, 'two plain rows');
    expect(JSON.parse(plainIngest.applied()[0]!.body.toString())).toMatchObject({
      Betrag: expect.any(String),
    });
    expect(
      plainIngest
        .applied()
        .map((a) => a.key)
        .sort(),
    ).toEqual(
      ingest
        .applied()
        .map((a) => a.key)
        .sort(),
    );
    expect(recordOf(plain, 'A-1').idempotencyKey).toBe(record.idempotencyKey);
  });

  it('keeps a row that does not convert as a rejected dead letter with its source data and the reason', async () => {
    const { dataDir, inbox } = h.paths();
    const ingest = await h.ingest();
    const engine = await h.engine({
      dataDir,
      inbox,
      url: ingest.url,
      source: records,
      mapping: invoiceMapping(3),
    });
    writeFileSync(
      join(inbox, 'invoices.csv'),
      csv(rowA1, 'A-3;Kunde 3;1.2.3;J;01.02.2026;01.02.2026 10:00;offen'),
    );
    await waitForStatus(engine, (s) => connectionOf(s).dead === 1, 'a rejected row');
    await waitFor(() => ingest.applied().length === 1, 10_000, 'the good row');

    const [dead] = engine.outbox.deadLetters({ connection: 'it', limit: 10 });
    expect(dead?.businessKey).toBe('A-3');
    expect(dead?.lastError).toBe("mapping v3: field Betrag: '1.2.3' is not a number in de-DE");
    expect(dead?.attempts).toBe(0);
    expect(JSON.parse(dead!.payload!.toString())).toMatchObject({ Rechnungsnr: 'A-3', Betrag: '1.2.3' });
    const events = engine.outbox.timeline(dead!.id)?.events ?? [];
    expect(events.map((e) => e.kind)).toEqual(['captured', 'rejected']);
    expect(events[1]?.detail).toEqual({
      reason: "mapping v3: field Betrag: '1.2.3' is not a number in de-DE",
    });
    expect(bodies(ingest).map((b) => b['invoiceNo'])).toEqual(['A-1']);
  });

  it('skips the rows the filter refuses, counts them in status and stores nothing for them', async () => {
    const { dataDir, inbox } = h.paths();
    const ingest = await h.ingest();
    const mapping = invoiceMapping(1, 'de-DE', { filter: "Status != 'storniert'" });
    const engine = await h.engine({ dataDir, inbox, url: ingest.url, source: records, mapping });
    writeFileSync(join(inbox, 'invoices.csv'), csv(rowA1, rowA2));
    await waitFor(() => ingest.applied().length === 1, 10_000, 'the open invoice');
    await waitForStatus(
      engine,
      (s) => connectionOf(s).source?.mapping === 'mapping v1; 1 record skipped by the mapping filter',
      'the skip count in status',
    );
    expect(bodies(ingest).map((b) => b['invoiceNo'])).toEqual(['A-1']);
    expect(engine.outbox.search({ businessKey: 'A-2', limit: 5 })).toEqual([]);
    expect(connectionOf(engine.status()).dead).toBe(0);
  });

  it('sends records queued before a mapping change as they were, and new records with the new version', async () => {
    const { dataDir, inbox } = h.paths();
    const ingest = await h.ingest({ faults: () => ({ kind: 'status', status: 503 }) });
    const engine = await h.engine({
      dataDir,
      inbox,
      url: ingest.url,
      source: records,
      mapping: invoiceMapping(1),
    });
    writeFileSync(join(inbox, 'first.csv'), csv(rowA1));
    await waitForStatus(engine, (s) => s.outbox.pending === 1, 'the first record queued');
    const firstBytes = Buffer.from(storedPayload(engine, 'A-1'));

    const v2 = mappingSchema.parse({
      version: 2,
      expression: `{ "schema": 2, "invoice": Rechnungsnr, "total": Betrag }`,
      convert: { Betrag: { type: 'number', locale: 'de-DE' } },
      history: [invoiceMapping(1)],
    });
    const config = engine.currentConfig();
    await engine.applyConfig({
      ...config,
      connections: config.connections.map((c) => ({ ...c, mapping: v2 })),
    });
    writeFileSync(join(inbox, 'second.csv'), csv(rowA2));
    await waitForStatus(engine, (s) => s.outbox.pending === 2, 'the second record queued');
    ingest.setFaults(undefined);
    await waitFor(() => ingest.applied().length === 2, 15_000, 'both delivered');

    const first = ingest.applied().find((a) => a.body.includes('A-1'));
    expect(first?.body.equals(firstBytes)).toBe(true);
    const second = ingest.applied().find((a) => a.body.includes('A-2'));
    expect(JSON.parse(second!.body.toString())).toEqual({ schema: 2, invoice: 'A-2', total: 99.9 });
    expect(recordOf(engine, 'A-1').origin).toMatchObject({ mappingVersion: 1 });
    expect(recordOf(engine, 'A-2').origin).toMatchObject({ mappingVersion: 2 });
  });

  it('re-maps rejected records after the mapping is fixed; the ones still failing keep the new reason', async () => {
    const { dataDir, inbox } = h.paths();
    const ingest = await h.ingest();
    const broken = invoiceMapping(1, 'en-US');
    const engine = await h.engine({ dataDir, inbox, url: ingest.url, source: records, mapping: broken });
    writeFileSync(join(inbox, 'invoices.csv'), csv(rowA1, rowA2));
    await waitForStatus(engine, (s) => connectionOf(s).dead === 2, 'both rows rejected');
    const ids = engine.outbox.deadLetters({ connection: 'it', limit: 10 }).map((r) => r.id);

    const still = await remapDeadLetters(
      engine.outbox,
      'it',
      mappingSchema.parse(broken),
      undefined,
      'admin',
    );
    expect(still).toMatchObject({ remapped: [], stillFailing: ids, refused: [], skipped: [] });
    expect(engine.outbox.deadLetters({ connection: 'it', limit: 10 })[0]?.lastError).toBe(
      "mapping v1: field Betrag: '1.234,56' is not a number in en-US",
    );

    const fixed = mappingSchema.parse(invoiceMapping(2, 'de-DE', { history: [broken] }));
    const report = await remapDeadLetters(engine.outbox, 'it', fixed, undefined, 'admin');
    expect(report).toMatchObject({ remapped: ids, stillFailing: [], refused: [], skipped: [] });
    await waitFor(() => ingest.applied().length === 2, 10_000, 'the re-mapped records delivered');
    expect(bodies(ingest).map((b) => b['amount'])).toEqual([1234.56, 99.9]);
    const record = recordOf(engine, 'A-1');
    expect(ingest.applied().find((a) => a.body.includes('A-1'))?.key).toBe(record.idempotencyKey);
    const events = engine.outbox.timeline(record.id)?.events ?? [];
    expect(events.map((e) => e.kind)).toEqual(['captured', 'rejected', 'rejected', 'remapped', 'delivered']);
    expect(events[3]?.detail).toMatchObject({ actor: 'admin', fromMappingVersion: 1, mappingVersion: 2 });
    expect(record.origin).toMatchObject({ mappingVersion: 2 });
    await waitForStatus(engine, (s) => connectionOf(s).dead === 0 && s.outbox.pending === 0, 'nothing left');
  });

  it('refuses to re-map a record that was sent before, and one the source rejected', async () => {
    const { dataDir, inbox } = h.paths();
    const ingest = await h.ingest({
      faults: () => ({ kind: 'status', status: 400, body: '{"error":"no"}' }),
    });
    const engine = await h.engine({
      dataDir,
      inbox,
      url: ingest.url,
      source: records,
      mapping: invoiceMapping(1),
    });
    writeFileSync(join(inbox, 'invoices.csv'), csv(rowA1, 'A-9;too;many;fields;here;1;2;3;4'));
    await waitForStatus(
      engine,
      (s) => connectionOf(s).dead === 2,
      'one refused by the server, one by the source',
    );
    const dead = engine.outbox.deadLetters({ connection: 'it', limit: 10 });
    const sent = dead.find((r) => r.attempts > 0)!;
    const malformed = dead.find((r) => r.attempts === 0)!;

    const report = await remapDeadLetters(
      engine.outbox,
      'it',
      mappingSchema.parse(invoiceMapping(2)),
      [sent.id, malformed.id, 999_999],
      'admin',
    );
    expect(report.remapped).toEqual([]);
    expect(report.skipped).toEqual([999_999]);
    expect(report.refused.map((r) => r.id)).toEqual([sent.id, malformed.id]);
    expect(report.refused[0]?.reason).toMatch(
      /was sent before \(1 attempt\).*one Idempotency-Key never carries two different payloads/,
    );
    expect(report.refused[1]?.reason).toMatch(/rejected by the source, not by the mapping/);
    const after = engine.outbox.deadLetters({ connection: 'it', limit: 10 }).find((r) => r.id === sent.id);
    expect(after?.payload?.equals(sent.payload!)).toBe(true);
    expect(after?.state).toBe('dead');
  });

  it('refuses to run a mapping version edited in place, and runs it once the edit has its own version', async () => {
    const { dataDir, inbox } = h.paths();
    const ingest = await h.ingest();
    const engine = await h.engine({
      dataDir,
      inbox,
      url: ingest.url,
      source: records,
      mapping: invoiceMapping(1),
    });
    const config = engine.currentConfig();
    const withMapping = (mapping: unknown) => ({
      ...config,
      connections: config.connections.map((c) => ({ ...c, mapping: mappingSchema.parse(mapping) })),
    });
    const edited = { ...invoiceMapping(1), expression: '{ "invoice": Rechnungsnr }' };
    await engine.applyConfig(withMapping(edited));
    expect(connectionOf(engine.status()).reason).toBe(
      'Cannot start: mapping v1 was edited in place: records were already mapped with a different v1. ' +
        'Fix: give the edited mapping version 2 and keep the earlier v1 unchanged under mapping.history',
    );

    await engine.applyConfig(withMapping({ ...edited, version: 2, history: [invoiceMapping(1)] }));
    writeFileSync(join(inbox, 'invoices.csv'), csv(rowA1));
    await waitFor(() => ingest.applied().length === 1, 10_000, 'the record mapped with v2');
    expect(JSON.parse(ingest.applied()[0]!.body.toString())).toEqual({ invoice: 'A-1' });
  });
});
