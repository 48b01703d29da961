// The contract check after the mapping: payloads that break the JSON Schema are kept as rejected, naming where and why.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../support/agent-process.js';
import { connectionOf, useEngineHarness, waitForStatus } from '../support/engine-harness.js';

const h = useEngineHarness('engine-contract-');

const source = { records: { format: 'csv', delimiter: ';', businessKeyColumn: 'Nr' } };
const mapping = {
  version: 1,
  expression: `{ "no": Nr, "amount": Betrag, "issued": Datum }`,
  convert: { Betrag: { type: 'number', locale: 'de-DE' } },
};
const schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['no', 'amount', 'issued'],
  properties: {
    no: { type: 'string' },
    amount: { type: 'number' },
    issued: { type: 'string', format: 'date' },
  },
};

describe('contract check', () => {
  it('sends conforming payloads and rejects the others with the pointer, the expectation and what was found', async () => {
    const { dataDir, inbox } = h.paths();
    const schemaFile = join(dataDir, '..', 'invoice.schema.json');
    writeFileSync(schemaFile, JSON.stringify(schema));
    const ingest = await h.ingest();
    const engine = await h.engine({
      dataDir,
      inbox,
      url: ingest.url,
      source,
      mapping,
      contract: { schemaFile },
    });
    writeFileSync(
      join(inbox, 'rows.csv'),
      'Nr;Betrag;Datum\nA-1;1.234,56;2026-03-31\nA-2;;2026-03-31\nA-3;5,00;31.03.2026\n',
    );
    await waitForStatus(engine, (s) => connectionOf(s).dead === 2, 'two payloads against the contract');
    await waitFor(() => ingest.applied().length === 1, 10_000, 'the conforming one');
    expect(JSON.parse(ingest.applied()[0]!.body.toString())).toEqual({
      no: 'A-1',
      amount: 1234.56,
      issued: '2026-03-31',
    });
    const reasons = Object.fromEntries(
      engine.outbox.deadLetters({ connection: 'it', limit: 10 }).map((r) => [r.businessKey, r.lastError]),
    );
    expect(reasons).toEqual({
      'A-2': 'mapping v1: contract: /amount: expected number, found null',
      'A-3': 'mapping v1: contract: /issued: expected format date, found string "31.03.2026"',
    });
    const [dead] = engine.outbox.search({ businessKey: 'A-2', limit: 1 });
    expect(engine.outbox.timeline(dead!.id)?.events.map((e) => e.kind)).toEqual(['captured', 'rejected']);
  });

  it('does not start a connection whose schema file cannot be used, and says why', async () => {
    const { dataDir, inbox } = h.paths();
    const ingest = await h.ingest();
    const engine = await h.engine({
      dataDir,
      inbox,
      url: ingest.url,
      source,
      mapping,
      contract: { schemaFile: join(dataDir, 'missing.json') },
    });
    expect(connectionOf(engine.status()).reason).toMatch(
      /^Cannot start: contract schema .*missing\.json cannot be read: ENOENT/,
    );
  });
});
