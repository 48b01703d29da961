// The mapping editor's methods over a real Engine and web console: samples, preview (and hostile input), suggestion, save.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { setAdminPassphrase } from '../../main/api/admin-passphrase.js';
import { createAgentHandlers, type AgentHandlers, type CallSession } from '../../main/api/agent-handlers.js';
import { createEngineBackend } from '../../main/api/engine-backend.js';
import { loadConfigFile } from '../../main/config/load-config.js';
import { readConsoleToken } from '../../main/console/console-token.js';
import { startConsole, type RunningConsole } from '../../main/console/start-console.js';
import { Engine } from '../../main/engine/engine.js';
import { waitFor } from '../support/agent-process.js';
import { startIngestServer, type IngestServer } from '../support/ingest.js';
import { useTempDir } from '../support/temp-dir.js';
import { sendRaw, sessionHeaders } from './console-harness.js';

const tempDir = useTempDir({ prefix: 'mapping-editor-' });
const running: { engine: Engine; ingest: IngestServer; close: () => void; web?: RunningConsole }[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) {
    await r.web?.close();
    r.close();
    await r.engine.stop(1000);
    await r.ingest.close();
  }
});

const admin: CallSession = { role: 'admin', actor: 'test admin' };
const viewer: CallSession = { role: 'viewer', actor: 'test viewer' };
const csv =
  'Rechnungsnr;Kunde;Betrag;Datum\nA-1;Müller GmbH;1.234,56;31.03.2026\nA-2;Schmidt AG;99,90;01.01.2026\n';
const schema = {
  type: 'object',
  required: ['invoiceNo', 'amount'],
  properties: {
    invoiceNo: { type: 'string' },
    customer: { type: 'string' },
    amount: { type: 'number' },
    issued: { type: 'string', format: 'date' },
  },
};
const draft = {
  expression: '{ "invoiceNo": Rechnungsnr, "customer": Kunde, "amount": Betrag, "issued": Datum }',
  convert: { Betrag: { type: 'number', locale: 'de-DE' }, Datum: { type: 'date', format: 'dd.MM.yyyy' } },
};

/** An engine whose config file has a folder (CSV records) → HTTP connection without a mapping, and two rows captured. */
async function start() {
  const dir = tempDir();
  const dataDir = join(dir, 'data');
  const inbox = join(dir, 'inbox');
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(inbox, { recursive: true });
  const schemaFile = join(dir, 'invoice.schema.json');
  writeFileSync(schemaFile, JSON.stringify(schema));
  const ingest = await startIngestServer();
  const configFile = join(dataDir, 'config.yaml');
  const raw = {
    configVersion: 1,
    outbox: { minFreeDiskBytes: 0 },
    connections: [
      {
        id: 'invoices',
        source: {
          type: 'folder',
          path: inbox,
          quietPeriodMs: 100,
          records: { format: 'csv', delimiter: ';' },
        },
        destination: { type: 'http', url: `${ingest.url}/ingest/invoices` },
      },
    ],
  };
  writeFileSync(configFile, JSON.stringify(raw));
  const { config } = await loadConfigFile(configFile);
  const engine = await Engine.start({
    config,
    dataDir,
    logger: pino({ level: 'silent' }),
    version: 'test',
    configFile,
  });
  const backend = createEngineBackend({ engine, configFile });
  running.push({ engine, ingest, close: backend.close });
  writeFileSync(join(inbox, 'export.csv'), csv);
  await waitFor(() => ingest.applied().length === 2, 10_000, 'the two rows delivered as captured');
  const handlers = createAgentHandlers(backend, { validateResults: true });
  return { engine, handlers, configFile, schemaFile, dataDir, backend, entry: running.at(-1)! };
}

const call = <T>(h: AgentHandlers, method: string, args: unknown, session = admin) =>
  h.call(method, args, session) as Promise<T>;
const refusal = (h: AgentHandlers, method: string, args: unknown, session = admin) =>
  h.call(method, args, session).then(
    () => 'accepted',
    (error: { code: string; message: string }) => `${error.code}: ${error.message}`,
  );

type Samples = { samples: { id: number; record: Record<string, unknown> }[] };
type Report = {
  version: number;
  contract?: string;
  draftProblems: { at: string }[];
  results: {
    label: string;
    outcome: string;
    payload?: unknown;
    contract: string;
    reason?: string;
    problems: unknown[];
  }[];
};

describe('mapping editor API', () => {
  it('previews a draft on captured records against the contract, suggests a mapping, and saves it as a new version', async () => {
    const { engine, handlers, configFile, schemaFile } = await start();
    const { samples } = await call<Samples>(handlers, 'sourceSamples', { connection: 'invoices' });
    expect(samples.map((s) => s.record['Rechnungsnr'])).toEqual(['A-2', 'A-1']);

    const ids = samples.map((s) => s.id);
    const report = await call<Report>(handlers, 'previewMapping', {
      connection: 'invoices',
      contractFile: schemaFile,
      mapping: draft,
      sample: { recordIds: ids },
    });
    expect(report.version).toBe(1);
    expect(report.contract).toBe(schemaFile);
    expect(report.results.map((r) => [r.label, r.outcome, r.contract, r.payload])).toEqual([
      [
        `record #${ids[0]}`,
        'mapped',
        'pass',
        { invoiceNo: 'A-2', customer: 'Schmidt AG', amount: 99.9, issued: '2026-01-01' },
      ],
      [
        `record #${ids[1]}`,
        'mapped',
        'pass',
        { invoiceNo: 'A-1', customer: 'Müller GmbH', amount: 1234.56, issued: '2026-03-31' },
      ],
    ]);

    // A pasted CSV line whose amount is empty: the contract failure points at /amount.
    const pasted = await call<Report>(handlers, 'previewMapping', {
      contractFile: schemaFile,
      mapping: draft,
      sample: { text: 'Rechnungsnr;Kunde;Betrag;Datum\nA-9;X;;01.01.2026' },
    });
    expect(pasted.results[0]?.problems).toEqual([
      { side: 'payload', at: '/amount', message: 'expected number, found null' },
    ]);

    const suggestion = await call<{
      fields: { property: string; column: string | null }[];
      mapping: { expression: string };
    }>(handlers, 'suggestMapping', {
      connection: 'invoices',
      contractFile: schemaFile,
      sample: { recordIds: [ids[0]] },
    });
    expect(suggestion.fields.map((f) => [f.property, f.column])).toEqual([
      ['invoiceNo', 'Rechnungsnr'],
      ['customer', 'Kunde'],
      ['amount', 'Betrag'],
      ['issued', 'Datum'],
    ]);

    const saved = await call(handlers, 'saveMapping', {
      connection: 'invoices',
      mapping: draft,
      basedOnVersion: 0,
    });
    expect(saved).toEqual({ connection: 'invoices', version: 1 });
    const v2 = { ...draft, expression: '{ "invoiceNo": Rechnungsnr, "amount": Betrag }' };
    expect(
      await call(handlers, 'saveMapping', {
        connection: 'invoices',
        mapping: v2,
        note: 'drop customer',
        basedOnVersion: 1,
      }),
    ).toEqual({
      connection: 'invoices',
      version: 2,
      previousVersion: 1,
    });
    const written = (
      parse(readFileSync(configFile, 'utf8')) as { connections: { mapping: Record<string, unknown> }[] }
    ).connections[0]!.mapping;
    expect(written).toEqual({
      version: 2,
      ...v2,
      history: [{ version: 1, ...draft, note: 'drop customer' }],
    });
    expect(engine.currentConfig().connections[0]?.mapping?.version).toBe(2);
    // Someone else saved meanwhile: an edit based on v1 is refused, not silently stacked.
    expect(
      await refusal(handlers, 'saveMapping', { connection: 'invoices', mapping: draft, basedOnVersion: 1 }),
    ).toMatch(/^conflict: the mapping of invoices is now v2, not v1/);
    const audit = engine.outbox.audit.recent('mapping.save');
    expect(audit.map((a) => [a.actor, a.target, a.detail])).toEqual([
      ['test admin', 'invoices', { version: 2, previousVersion: 1, note: 'drop customer' }],
      ['test admin', 'invoices', { version: 1 }],
    ]);
    // The preview now proposes v3.
    const next = await call<Report>(handlers, 'previewMapping', {
      connection: 'invoices',
      mapping: v2,
      sample: { text: '{"Rechnungsnr":"A"}' },
    });
    expect(next.version).toBe(3);
  });

  it('refuses hostile input with a clear error, and stops runaway expressions per record', async () => {
    const { handlers, schemaFile, engine } = await start();
    const text = (t: string) => ({ mapping: draft, sample: { text: t } });
    expect(await refusal(handlers, 'previewMapping', text('{}'), viewer)).toMatch(
      /^forbidden: previewMapping shows captured payloads and needs the admin role/,
    );
    expect(await refusal(handlers, 'sourceSamples', { connection: 'invoices' }, viewer)).toMatch(
      /^forbidden/,
    );
    expect(await refusal(handlers, 'previewMapping', text('x'.repeat(70_000)))).toMatch(
      /^invalid-argument: invalid arguments for previewMapping: sample/,
    );
    expect(
      await refusal(handlers, 'previewMapping', {
        mapping: draft,
        sample: { recordIds: Array.from({ length: 21 }, (_, i) => i + 1) },
      }),
    ).toMatch(/^invalid-argument: invalid arguments for previewMapping: sample/);
    expect(
      await refusal(handlers, 'previewMapping', {
        mapping: JSON.parse('{"expression":"$","__proto__":{"x":1}}'),
        sample: { text: '{}' },
      }),
    ).toMatch(/forbidden key "__proto__"/);
    let deep: unknown = 'x';
    for (let i = 0; i < 10; i += 1) deep = { deep };
    expect(
      await refusal(handlers, 'previewMapping', {
        mapping: { expression: '$', convert: deep },
        sample: { text: '{}' },
      }),
    ).toMatch(/nested deeper than 6 levels/);
    expect(
      await refusal(handlers, 'previewMapping', { ...text('{}'), contractFile: 'relative.json' }),
    ).toMatch(/absolute path of a JSON Schema file/);
    expect(
      await refusal(handlers, 'previewMapping', { ...text('{}'), contractFile: '/nonexistent/schema.json' }),
    ).toMatch(/^invalid-argument: contract schema \/nonexistent\/schema.json cannot be read/);
    expect(await refusal(handlers, 'previewMapping', text('{"a":'))).toMatch(
      /^invalid-argument: sample: the sample starts like JSON but does not parse/,
    );
    expect(
      await refusal(handlers, 'previewMapping', { mapping: draft, sample: { recordIds: [999] } }),
    ).toMatch(/needs the connection/);
    expect(
      await refusal(handlers, 'previewMapping', {
        connection: 'invoices',
        mapping: draft,
        sample: { recordIds: [999] },
      }),
    ).toMatch(/^invalid-argument: none of the records 999 holds source data of invoices/);
    expect(
      await refusal(handlers, 'saveMapping', { connection: 'invoices', mapping: { ...draft, version: 7 } }),
    ).toMatch(/mapping.version: the editor's draft has no version/);
    expect(
      await refusal(handlers, 'saveMapping', { connection: 'invoices', mapping: { expression: '{ "a": }' } }),
    ).toMatch(/^invalid-argument: mapping.expression: the expression does not parse at position/);
    expect(await refusal(handlers, 'saveMapping', { connection: 'nope', mapping: draft })).toMatch(
      /^not-found: there is no connection "nope"/,
    );
    expect(engine.outbox.audit.recent('mapping.save')).toEqual([]);

    // A draft that does not parse is answered (problems at the field), as is an expression that never ends.
    const broken = await call<Report>(handlers, 'previewMapping', {
      mapping: { expression: '{ "a": Betrag + }' },
      sample: { text: '{}' },
    });
    expect(broken.draftProblems.map((p) => p.at)).toEqual(['expression']);
    const looping = await call<Report>(handlers, 'previewMapping', {
      contractFile: schemaFile,
      mapping: { expression: '($f := function($x){ $f($x + 1) }; $f(1))' },
      sample: { text: '{"a":1}' },
    });
    expect(looping.results[0]?.reason).toBe(
      'mapping v1: expression: stopped after 500 ms (a loop that does not end?)',
    );
  });

  it('answers the preview through the web console for an unlocked admin session', async () => {
    const { handlers, dataDir, entry } = await start();
    await setAdminPassphrase(dataDir, 'correct horse battery staple');
    const web = await startConsole({ handlers, dataDir, port: 0, logger: pino({ level: 'silent' }) });
    entry.web = web;
    const host = `127.0.0.1:${web.port}`;
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      sendRaw(web.port, path, {
        method: 'POST',
        headers: { host, origin: `http://${host}`, 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const signIn = await post('/api/session', { token: await readConsoleToken(dataDir) });
    const cookie = String(signIn.headers['set-cookie']?.[0] ?? '').split(';')[0]!;
    const session = sessionHeaders(`${cookie} + ${(signIn.json() as { sessionToken: string }).sessionToken}`);
    const body = { mapping: draft, sample: { text: 'Rechnungsnr;Kunde;Betrag;Datum\nA-1;M;1,5;01.02.2026' } };
    expect((await post('/api/call/previewMapping', body, session)).status).toBe(403);
    expect(
      (await post('/api/call/unlockAdmin', { passphrase: 'correct horse battery staple' }, session)).status,
    ).toBe(200);
    const answer = await post('/api/call/previewMapping', body, session);
    expect(answer.status).toBe(200);
    expect((answer.json() as Report).results[0]?.payload).toEqual({
      invoiceNo: 'A-1',
      customer: 'M',
      amount: 1.5,
      issued: '2026-02-01',
    });
    const hostile = await post('/api/call/previewMapping', { ...body, sample: { text: 1 } }, session);
    expect(hostile.status).toBe(400);
  });
});
