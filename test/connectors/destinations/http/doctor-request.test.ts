// The doctor's request to the destination: OPTIONS by default, a dry-run empty batch with a synthetic key, and what answers mean.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { httpDestinationSchema } from '../../../../connectors/destinations/http/config.js';
import { runHttpDoctor } from '../../../../connectors/destinations/http/doctor/index.js';
import type { DoctorCheck, DoctorReport } from '../../../../preload/contract/doctor.js';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const seen: Seen[] = [];
let answer: { status: number } = { status: 200 };
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      seen.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      response.writeHead(answer.status);
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
beforeEach(() => {
  seen.length = 0;
  answer = { status: 200 };
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

const secrets: Record<string, string> = { 'api-token': 'tok-3f9a-secret', tenant: 'tenant-42' };

async function doctor(input: Record<string, unknown>, dryRun = false): Promise<DoctorReport> {
  const destination = httpDestinationSchema.parse({
    type: 'http',
    url: `${base}/v1/records`,
    proxy: { mode: 'none' },
    ...input,
  });
  return runHttpDoctor(destination, {
    secrets: (name) => {
      const value = secrets[name];
      if (value === undefined) throw new Error(`secret "${name}" was not loaded`);
      return value;
    },
    timeoutMs: 3000,
    dryRun,
  });
}

const probe = (report: DoctorReport): DoctorCheck =>
  report.checks.find((c) => c.id === 'dry-run') as DoctorCheck;

describe('request probe', () => {
  it('sends OPTIONS with the configured headers and credentials, and no record or idempotency key', async () => {
    const report = await doctor({
      auth: { type: 'bearer', token: { secretRef: 'api-token' } },
      headers: { 'x-tenant': { secretRef: 'tenant' }, 'x-client': 'agent' },
    });
    expect(probe(report)).toMatchObject({ status: 'pass', title: 'Request (OPTIONS, no record)' });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'OPTIONS', url: '/v1/records', body: '' });
    expect(seen[0]?.headers).toMatchObject({
      authorization: 'Bearer tok-3f9a-secret',
      'x-tenant': 'tenant-42',
      'x-client': 'agent',
    });
    expect(seen[0]?.headers['idempotency-key']).toBeUndefined();
    expect(JSON.stringify(report)).not.toContain('tok-3f9a-secret');
  });

  it('dry-run: the configured method with an empty batch and a synthetic doctor-<random> Idempotency-Key', async () => {
    const report = await doctor({ method: 'PUT', batch: { format: 'json-array' } }, true);
    expect(probe(report)).toMatchObject({ status: 'pass', title: 'Dry-run PUT (empty batch)' });
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request).toMatchObject({ method: 'PUT', body: '[]' });
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['idempotency-key']).toMatch(/^doctor-[0-9a-f]{24}$/);
    expect(request?.headers['x-integration-agent-doctor']).toBe('dry-run');
    expect(probe(report).data?.idempotencyKey).toBe(request?.headers['idempotency-key']);
    answer = { status: 422 };
    const refused = await doctor({ batch: { format: 'ndjson' } }, true);
    expect(seen[1]).toMatchObject({ method: 'POST', body: '' });
    expect(probe(refused)).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('does not accept an empty batch'),
    });
  });

  it('refuses a dry-run that would have to invent a record (batch.format none, URL placeholders) and sends OPTIONS', async () => {
    const single = await doctor({ batch: { format: 'none' } }, true);
    expect(seen[0]?.method).toBe('OPTIONS');
    expect(probe(single).detail).toContain(
      'no dry-run: with batch.format none every request carries exactly one record',
    );
    const templated = await doctor({ url: `${base}/v1/records/{{businessKey}}` });
    expect(seen[1]).toMatchObject({ method: 'OPTIONS', url: '/v1/records/doctor-probe' });
    expect(probe(templated).status).toBe('pass');
  });

  it('explains refused credentials, a wrong path and a failing server', async () => {
    answer = { status: 401 };
    const bearer = await doctor({ auth: { type: 'bearer', token: { secretRef: 'api-token' } } });
    expect(probe(bearer)).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('HTTP 401'),
      fix: 'replace the token: integration-agent secrets set api-token',
    });
    const none = await doctor({});
    expect(probe(none).fix).toContain('configure destination.auth');
    const missing = await doctor({ auth: { type: 'api-key', value: { secretRef: 'absent' } } });
    expect(probe(missing).detail).toContain('sent without credentials (secret "absent" was not loaded)');
    answer = { status: 404 }; // to OPTIONS: what many POST-only APIs answer, so not a warning
    expect(probe(await doctor({}))).toMatchObject({
      status: 'pass',
      detail: expect.stringContaining('--dry-run'),
    });
    expect(probe(await doctor({ batch: { format: 'json-array' } }, true))).toMatchObject({
      status: 'warn',
      fix: 'check the path in destination.url',
    });
    answer = { status: 503 };
    expect(probe(await doctor({})).status).toBe('warn');
    answer = { status: 405 };
    expect(probe(await doctor({})).status).toBe('pass');
  });
});
