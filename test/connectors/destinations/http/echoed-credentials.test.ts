// A server that echoes the request's credentials back (e.g. a 422 repeating the headers) never gets them stored or shown.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolverOf } from '../../../../connectors/core/secret-ref.js';
import { httpDestinationSchema } from '../../../../connectors/destinations/http/config.js';
import { createHttpDestination } from '../../../../connectors/destinations/http/create-destination.js';

const token = 'tok_live_8fK2p9QzX1';
const apiSecret = 'sk-partner-77aa0b';

let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(422, {
        'content-type': 'application/json',
        'x-echo-authorization': String(req.headers.authorization),
      });
      res.end(JSON.stringify({ error: 'invalid record', received: req.headers }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/records`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('echoed credentials', () => {
  it('masks the bearer token and secret header values in the stored excerpt and headers, keeping the rest', async () => {
    const config = httpDestinationSchema.parse({
      type: 'http',
      url,
      auth: { type: 'bearer', token: { secretRef: 'erp-token' } },
      headers: { 'x-partner-key': { secretRef: 'partner-key' }, 'x-site': 'plant-3' },
    });
    const secrets = resolverOf(
      new Map([
        ['erp-token', token],
        ['partner-key', apiSecret],
      ]),
    );
    const destination = createHttpDestination(config, secrets);
    try {
      const payload = Buffer.from('{"amount":"x"}');
      const record = {
        id: 1,
        idempotencyKey: 'k-1',
        businessKey: null,
        contentType: 'application/json',
        payload,
        attempts: 1,
      };
      const result = await destination.send(
        { idempotencyKey: 'k-1', records: [record] },
        new AbortController().signal,
      );
      expect(result.kind).toBe('dead');
      if (result.kind !== 'dead') return;
      const stored = JSON.stringify(result);
      expect(stored).not.toContain(token);
      expect(stored).not.toContain(apiSecret);
      expect(result.response?.excerpt).toContain('[redacted]');
      expect(result.response?.excerpt).toContain('plant-3');
      expect(result.error).toContain('invalid record');
    } finally {
      await destination.close();
    }
  });
});
