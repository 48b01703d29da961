// Moving a connection to a new API version: queued records keep their bytes and version; Sunset becomes status and alert.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { alertRuleDefinitions } from '../../main/alerts/alert-rules.js';
import { defaultAlertThresholds } from '../../main/alerts/alert-types.js';
import { agentConfigSchema } from '../../main/config/schema.js';
import { Engine } from '../../main/engine/engine.js';
import { waitFor } from '../support/agent-process.js';
import { connectionOf, waitForStatus } from '../support/engine-harness.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir({ prefix: 'engine-api-version-' });

interface Seen {
  status: number;
  version: string | undefined;
  body: string;
}

/** An API that answers 503 until opened, then 201 with Deprecation and Sunset headers. */
async function api() {
  const seen: Seen[] = [];
  let open = false;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const headers: IncomingHttpHeaders = request.headers;
      const status = open ? 201 : 503;
      seen.push({
        status,
        version: headers['api-version'] as string | undefined,
        body: Buffer.concat(chunks).toString(),
      });
      response
        .writeHead(
          status,
          open
            ? {
                deprecation: '@1767225600',
                sunset: 'Wed, 30 Jun 2027 23:59:59 GMT',
                link: '<https://api.example.com/migrate>; rel="sunset"',
              }
            : {},
        )
        .end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/invoices`,
    seen,
    open: () => (open = true),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

const v1 = { version: 1, apiVersion: '2025-01-01', expression: '{ "no": Nr, "amount": Betrag }' };
const v2 = {
  version: 2,
  apiVersion: '2026-01-01',
  expression: '{ "number": Nr, "total": { "amount": Betrag, "currency": "EUR" } }',
};

describe('API versions', () => {
  it('sends queued records as they were mapped, with their version; new ones with the new mapping and version', async () => {
    const server = await api();
    const dataDir = join(tempDir(), 'data');
    const inbox = join(tempDir(), 'inbox');
    mkdirSync(inbox, { recursive: true });
    const config = (mapping: Record<string, unknown>, apiVersion: string) =>
      agentConfigSchema.parse({
        configVersion: 1,
        outbox: { minFreeDiskBytes: 0 },
        connections: [
          {
            id: 'it',
            source: {
              type: 'folder',
              path: inbox,
              quietPeriodMs: 100,
              records: { format: 'csv', delimiter: ';', businessKeyColumn: 'Nr' },
            },
            mapping: { convert: { Betrag: { type: 'number', locale: 'de-DE' } }, ...mapping },
            destination: {
              type: 'http',
              url: server.url,
              apiVersion: { value: apiVersion, via: 'header' },
              retry: { baseMs: 20, capMs: 100 },
              circuitBreaker: { openMs: 1000, maxOpenMs: 1000 },
            },
          },
        ],
      });
    const engine = await Engine.start({
      config: config(v1, '2025-01-01'),
      dataDir,
      logger: pino({ level: 'silent' }),
      version: 'test',
    });
    try {
      writeFileSync(join(inbox, 'a.csv'), 'Nr;Betrag\nA-1;1.234,56\nA-2;7,50\n');
      await waitFor(() => server.seen.length >= 2, 10_000, 'both rows tried (503)');

      const next = config(
        { ...v2, history: [{ ...v1, convert: { Betrag: { type: 'number', locale: 'de-DE' } } }] },
        '2026-01-01',
      );
      await engine.applyConfig(next);
      writeFileSync(join(inbox, 'b.csv'), 'Nr;Betrag\nA-3;5,00\n');
      await waitForStatus(engine, (s) => connectionOf(s).pending === 3, 'A-3 queued too');
      server.open();
      await waitForStatus(engine, (s) => connectionOf(s).pending === 0, 'all delivered');

      const delivered = server.seen.filter((s) => s.status === 201);
      expect(delivered.map((s) => [s.version, s.body]).sort()).toEqual([
        ['2025-01-01', '{"no":"A-1","amount":1234.56}'],
        ['2025-01-01', '{"no":"A-2","amount":7.5}'],
        ['2026-01-01', '{"number":"A-3","total":{"amount":5,"currency":"EUR"}}'],
      ]);
      // Every attempt of a queued record carried the same bytes and version (before and after the switch).
      for (const { body, version } of server.seen.filter((s) => s.body.includes('A-1')))
        expect([version, body]).toEqual(['2025-01-01', '{"no":"A-1","amount":1234.56}']);

      await waitForStatus(engine, (s) => connectionOf(s).destination?.apiNotice !== undefined, 'the notice');
      const status = engine.status();
      const connection = connectionOf(status);
      expect(connection.destination?.apiNotice).toMatchObject({
        deprecated: true,
        deprecationAt: Date.parse('2026-01-01T00:00:00Z'),
        sunsetAt: Date.parse('2027-06-30T23:59:59Z'),
        link: 'https://api.example.com/migrate',
      });
      const now = Date.parse('2026-12-01T00:00:00Z');
      const rule = alertRuleDefinitions.find((r) => r.rule === 'api-deprecation');
      const conditions = rule?.conditions(
        { status },
        { now, thresholds: defaultAlertThresholds, circuitNotClosedSince: new Map() },
      );
      expect(conditions).toEqual([
        {
          subject: 'it',
          severity: 'warning',
          title: 'The API of it has a sunset date: 2027-06-30',
          message:
            `"it" (POST ${new URL(server.url).origin}/v1/invoices): the API says this endpoint is deprecated since 2026-01-01, ` +
            'and it will stop answering on 2027-06-30 (Sunset) (see https://api.example.com/migrate). Fix: move the ' +
            'connection to the API version that replaces it: add a mapping version for the new version, then switch ' +
            'destination.apiVersion (docs/mapping.md, "API versions").',
        },
      ]);
      expect(
        connection.warnings.some((w) => w.includes('it will stop answering on 2027-06-30 (Sunset)')),
      ).toBe(true);
    } finally {
      await engine.stop(1000);
      await server.close();
    }
  });
});
