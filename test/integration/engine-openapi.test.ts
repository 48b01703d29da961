// OpenAPI contracts in the engine: a de-DE CSV mapped and checked per batch member, `contract check`, re-map, the pin.
import { createServer } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { contractCheck, contractCheckTable } from '../../main/commands/contract-check-command.js';
import { dlqRemapCommand } from '../../main/commands/dlq-remap-command.js';
import { sha256Of } from '../../main/shaping/openapi-contract.js';
import { waitFor } from '../support/agent-process.js';
import { connectionOf, useEngineHarness, waitForStatus } from '../support/engine-harness.js';

const h = useEngineHarness('engine-openapi-');
const spec = join(import.meta.dirname, '..', 'fixtures', 'openapi', 'invoices-3.0.yaml');

const source = { records: { format: 'csv', delimiter: ';', businessKeyColumn: 'Rechnungsnr' } };
const destination = { batch: { format: 'json-array', maxRecords: 10, lingerMs: 200 } };
const contract = { openapi: spec, operation: { method: 'post', path: '/v1/invoices' } };
const mapping = (version: number, statuses: Record<string, string>) => ({
  version,
  expression: `{
    "number": Rechnungsnr,
    "issued": Datum,
    "status": $lookup(${JSON.stringify(statuses)}, Status) ? $lookup(${JSON.stringify(statuses)}, Status) : Status,
    "paid": Bezahlt,
    "customer": { "name": Kunde },
    "total": { "amount": Betrag, "currency": "EUR" },
    "payment": { "method": "bank-transfer", "iban": IBAN }
  }`,
  convert: {
    Betrag: { type: 'number', locale: 'de-DE' },
    Bezahlt: { type: 'boolean' },
    Datum: { type: 'date', format: 'dd.MM.yyyy' },
    Kunde: { type: 'text' },
  },
});
const v1 = mapping(1, { offen: 'open', bezahlt: 'paid' });
const v2 = { ...mapping(2, { offen: 'open', bezahlt: 'paid', storniert: 'cancelled' }), history: [v1] };

const csv =
  'Rechnungsnr;Kunde;Betrag;Bezahlt;Datum;Status;IBAN\n' +
  'A-1; Müller GmbH ;1.234,56;J;31.03.2026;offen;DE89370400440532013000\n' +
  'A-2;Schmidt AG;99,90;N;01.01.2026;storniert;DE89370400440532013000\n' +
  'A-3;Kunde 3;5,00;J;01.02.2026;bezahlt;DE89370400440532013000\n';

async function quietly<T>(work: () => Promise<T>): Promise<T> {
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return await work();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('OpenAPI contract in the engine', () => {
  it('sends the members that conform in one batch, rejects the other; contract check and re-map see it', async () => {
    const { dataDir, inbox } = h.paths();
    const ingest = await h.ingest();
    const engine = await h.engine({
      dataDir,
      inbox,
      url: ingest.url,
      source,
      destination,
      mapping: v1,
      contract,
    });
    writeFileSync(join(inbox, 'rechnungen.csv'), csv);
    await waitForStatus(engine, (s) => connectionOf(s).dead === 1, 'A-2 rejected by the contract');
    await waitFor(() => ingest.appliedItems().length === 2, 10_000, 'A-1 and A-3 delivered');
    expect(ingest.applied()).toHaveLength(1);
    expect(ingest.appliedItems().map((i) => JSON.parse(i.body.toString()) as unknown)).toEqual([
      {
        number: 'A-1',
        issued: '2026-03-31',
        status: 'open',
        paid: true,
        customer: { name: 'Müller GmbH' },
        total: { amount: 1234.56, currency: 'EUR' },
        payment: { method: 'bank-transfer', iban: 'DE89370400440532013000' },
      },
      expect.objectContaining({ number: 'A-3', status: 'paid', total: { amount: 5, currency: 'EUR' } }),
    ]);
    const [dead] = engine.outbox.deadLetters({ connection: 'it', limit: 10 });
    expect(dead?.lastError).toBe(
      'mapping v1: contract: /status: expected one of "open", "paid", "cancelled", found string "storniert"',
    );

    // contract check with the config as it is: the rejected row is mapped again from its source data and still fails.
    const configFile = join(dataDir, 'agent.json');
    const config = (m: unknown) => ({
      configVersion: 1,
      connections: [
        {
          id: 'it',
          source: { type: 'folder', path: inbox, ...source },
          destination: { type: 'http', url: `${ingest.url}/ingest/it`, ...destination },
          mapping: m,
          contract,
        },
      ],
    });
    writeFileSync(configFile, JSON.stringify(config(v1)));
    const before = await contractCheck('it', { config: configFile, dataDir, sample: '5' });
    expect(before.rows.map((r) => [r.key, r.storedWith, r.checked, r.result, r.error])).toEqual([
      ['A-3', 'v1', 'as stored', 'pass', ''],
      ['A-2', 'v1', 'mapped with v1', 'fail', dead?.lastError?.replace('mapping v1: ', '')],
      ['A-1', 'v1', 'as stored', 'pass', ''],
    ]);
    expect(contractCheckTable(before.rows).split('\n').slice(0, 3)).toEqual([
      'ID  KEY  STORED WITH  CHECKED         RESULT  FIRST ERROR',
      `${before.rows[0]!.id}   A-3  v1           as stored       pass`,
      `${before.rows[1]!.id}   A-2  v1           mapped with v1  fail    contract: /status: expected one of "open", "paid", "cancelled", found string "storniert"`,
    ]);
    expect(before.summary).toBe('2 passed, 1 failed, 0 skipped (latest 3 records, mapping v1)');

    // The fixed mapping passes the check, and re-mapping sends the rejected row.
    writeFileSync(configFile, JSON.stringify(config(v2)));
    const after = await contractCheck('it', { config: configFile, dataDir });
    expect(after.rows.map((r) => r.result)).toEqual(['pass', 'pass', 'pass']);
    await quietly(() => dlqRemapCommand([], { connection: 'it', config: configFile, dataDir }));
    await waitFor(() => ingest.appliedItems().length === 3, 10_000, 'the re-mapped row delivered');
    expect(JSON.parse(ingest.appliedItems()[2]!.body.toString())).toMatchObject({
      number: 'A-2',
      status: 'cancelled',
    });
  });

  it('explains what it cannot check: unknown connection, no contract, no records', async () => {
    const { dataDir, inbox } = h.paths();
    const configFile = join(inbox, '..', 'agent.json');
    const connection = {
      id: 'it',
      source: { type: 'folder', path: inbox },
      destination: { type: 'http', url: 'http://127.0.0.1:9/x' },
    };
    writeFileSync(configFile, JSON.stringify({ configVersion: 1, connections: [connection] }));
    await expect(contractCheck('nope', { config: configFile, dataDir })).rejects.toThrow(
      /there is no connection "nope" in .* \(connections: it\)/,
    );
    await expect(contractCheck('it', { config: configFile, dataDir })).rejects.toThrow(
      'connection "it" has no contract to check against',
    );
    const engine = await h.engine({
      dataDir,
      inbox,
      url: 'http://127.0.0.1:9',
      source,
      mapping: v1,
      contract,
    });
    await engine.stop(1000);
    writeFileSync(
      configFile,
      JSON.stringify({
        configVersion: 1,
        connections: [
          { ...connection, source: { type: 'folder', path: inbox, ...source }, mapping: v1, contract },
        ],
      }),
    );
    await expect(contractCheck('it', { config: configFile, dataDir })).rejects.toThrow(
      'connection "it" has no captured records with their data in the outbox',
    );
    await expect(contractCheck('it', { config: configFile, dataDir, sample: '0' })).rejects.toThrow(
      '--sample 0 is not a whole number between 1 and 10000',
    );
  });

  it('does not start a connection whose fetched document no longer matches its pin, and says what to pin', async () => {
    let body = readFileSync(spec);
    const server = createServer((_req, res) => res.end(body));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/openapi.yaml`;
      const pinned = sha256Of(body);
      body = Buffer.concat([body, Buffer.from('\n# changed\n')]);
      const { dataDir, inbox } = h.paths();
      const ingest = await h.ingest();
      const engine = await h.engine({
        dataDir,
        inbox,
        url: ingest.url,
        source,
        mapping: v1,
        contract: { ...contract, openapi: url, sha256: pinned },
      });
      await waitForStatus(engine, (s) => connectionOf(s).reason !== undefined, 'the refusal');
      expect(connectionOf(engine.status()).reason).toBe(
        `Cannot start: contract ${url} has changed: its SHA-256 is ${sha256Of(body)}, the config pins ${pinned}. ` +
          `Fix: read what changed in the API, adjust the mapping if needed, then set contract.sha256 to ${sha256Of(body)}`,
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
