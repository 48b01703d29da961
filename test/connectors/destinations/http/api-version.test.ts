// The HTTP destination's API version (header, media type, path) from each record's stored version, and end-of-life headers.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OutgoingRecord } from '../../../../connectors/core/destination.js';
import { httpDestinationSchema } from '../../../../connectors/destinations/http/config.js';
import { createHttpDestination } from '../../../../connectors/destinations/http/create-destination.js';
import { apiNoticeOf } from '../../../../connectors/destinations/http/deprecation-headers.js';

const seen: { url: string; headers: http.IncomingHttpHeaders }[] = [];
let answerHeaders: Record<string, string> = {};
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      seen.push({ url: request.url ?? '', headers: request.headers });
      response.writeHead(201, answerHeaders).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
beforeEach(() => {
  seen.length = 0;
  answerHeaders = {};
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

const record = (id: number, apiVersion?: string): OutgoingRecord => ({
  id,
  idempotencyKey: `key-${id}`,
  businessKey: null,
  contentType: 'application/json',
  payload: Buffer.from('{"n":1}'),
  attempts: 1,
  ...(apiVersion === undefined ? {} : { apiVersion }),
});

async function send(destination: Record<string, unknown>, records: OutgoingRecord[]) {
  const config = httpDestinationSchema.parse({ type: 'http', url: `${base}/v1/invoices`, ...destination });
  const http = createHttpDestination(config, () => '');
  try {
    return await http.send(
      { idempotencyKey: records[0]!.idempotencyKey, records },
      AbortSignal.timeout(5000),
    );
  } finally {
    await http.close();
  }
}

describe('API version on the request', () => {
  it('sends the version each record was stored for in the header, none for records stored before', async () => {
    const apiVersion = { value: '2026-01-01', via: 'header', name: 'Stripe-Version' };
    await send({ apiVersion }, [record(1, '2025-01-01')]);
    await send({ apiVersion }, [record(2)]);
    expect(seen.map((s) => s.headers['stripe-version'])).toEqual(['2025-01-01', undefined]);
  });

  it('as a media type parameter, or as a path segment', async () => {
    await send({ apiVersion: { value: '2', via: 'media-type' } }, [record(1, '1')]);
    expect(seen[0]?.headers['content-type']).toBe('application/json; version=1');
    await send({ url: `${base}/{{apiVersion}}/invoices`, apiVersion: { value: 'v2', via: 'path' } }, [
      record(2, 'v1'),
    ]);
    await send({ url: `${base}/{{apiVersion}}/invoices`, apiVersion: { value: 'v2', via: 'path' } }, [
      record(3),
    ]);
    expect(seen.slice(1).map((s) => s.url)).toEqual(['/v1/invoices', '/v2/invoices']);
  });

  it('is checked with the URL when the config loads', () => {
    const issues = (raw: Record<string, unknown>) =>
      httpDestinationSchema
        .safeParse({ type: 'http', ...raw })
        .error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues({ url: 'https://a.example/{{apiVersion}}/x' })).toEqual([
      'url: the URL uses {{apiVersion}}, and the destination has no apiVersion sent via path',
    ]);
    expect(issues({ url: 'https://a.example/x', apiVersion: { value: 'v2', via: 'path' } })).toEqual([
      'apiVersion.via: apiVersion via path needs {{apiVersion}} in the URL',
    ]);
    expect(issues({ url: 'https://a.example/x', apiVersion: { value: '2025 01' } })).toEqual([
      'apiVersion.value: must be a version such as 2025-01-01 or v2 (letters, digits, . _ -)',
    ]);
  });
});

describe('Deprecation and Sunset headers', () => {
  it('reads RFC 9745 dates, RFC 8594 sunsets and the Link to the explanation', async () => {
    answerHeaders = {
      deprecation: '@1767225600',
      sunset: 'Wed, 30 Jun 2027 23:59:59 GMT',
      link: '<https://api.example.com/changelog>; rel="deprecation"; type="text/html"',
    };
    const result = await send({}, [record(1)]);
    expect(result.apiNotice).toEqual({
      deprecated: true,
      deprecationAt: Date.parse('2026-01-01T00:00:00Z'),
      sunsetAt: Date.parse('2027-06-30T23:59:59Z'),
      link: 'https://api.example.com/changelog',
    });
    answerHeaders = {};
    expect((await send({}, [record(2)])).apiNotice).toBeNull();
  });

  it('takes a Sunset alone, the drafts\' "true", and ignores what is not a date', () => {
    expect(apiNoticeOf({ sunset: 'Sat, 31 Dec 2026 23:59:59 GMT' })).toEqual({
      deprecated: false,
      sunsetAt: Date.parse('2026-12-31T23:59:59Z'),
    });
    expect(apiNoticeOf({ deprecation: 'true' })).toEqual({ deprecated: true });
    expect(apiNoticeOf({ deprecation: '@soon', sunset: 'tomorrow' })).toEqual({ deprecated: true });
  });
});
