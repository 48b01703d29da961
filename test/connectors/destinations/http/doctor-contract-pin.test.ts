// The doctor's contract step: the published OpenAPI document against the SHA-256 the connection pins.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { doctorCommand } from '../../../../main/commands/doctor-command.js';
import { httpDestinationSchema } from '../../../../connectors/destinations/http/config.js';
import { runHttpDoctor } from '../../../../connectors/destinations/http/doctor/index.js';

let published = 'openapi: 3.0.3\ninfo: { title: Invoices, version: "1" }\npaths: {}\n';
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    if (request.url === '/openapi.yaml') response.end(published);
    else if (request.url === '/gone.yaml') response.writeHead(404).end();
    else response.writeHead(204).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

async function pinStep(url: string, sha256: string) {
  const destination = httpDestinationSchema.parse({ type: 'http', url: `${base}/v1/invoices` });
  const report = await runHttpDoctor(destination, {
    secrets: () => '',
    timeoutMs: 3000,
    contractDocument: { url, sha256 },
  });
  return { report, step: report.checks.find((c) => c.id === 'contract-pin') };
}

describe('doctor: pinned contract document', () => {
  it('passes while the published document matches the pin', async () => {
    const { step, report } = await pinStep(`${base}/openapi.yaml`, sha(published));
    expect(step).toMatchObject({ status: 'pass', title: 'Contract document' });
    expect(report.overall).toBe('pass');
  });

  it('fails when the publisher changed the document, and gives the hash to pin', async () => {
    const pinned = sha(published);
    published += 'x-changed: true\n';
    const { step, report } = await pinStep(`${base}/openapi.yaml`, pinned);
    expect(step?.status).toBe('fail');
    expect(step?.detail).toBe(
      `${base}/openapi.yaml was changed by its publisher: its SHA-256 is ${sha(published)}, the config pins ${pinned}`,
    );
    expect(step?.fix).toContain(`set contract.sha256 to ${sha(published)}`);
    expect(report.overall).toBe('fail');
  });

  it('fails when the document cannot be fetched', async () => {
    const { step } = await pinStep(`${base}/gone.yaml`, sha(published));
    expect(step).toMatchObject({
      status: 'fail',
      detail: `${base}/gone.yaml cannot be fetched: the server answered HTTP 404`,
    });
  });
});

describe('integration-agent doctor <connection>', () => {
  it('adds the contract step for a connection whose OpenAPI contract is a pinned URL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'doctor-pin-'));
    const out: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((t) => out.push(String(t)) > 0);
    try {
      const configFile = join(dir, 'config.json');
      const connection = {
        id: 'invoices',
        source: { type: 'folder', path: dir, records: { format: 'csv' } },
        destination: { type: 'http', url: `${base}/v1/invoices` },
        mapping: { version: 1, expression: '$' },
        contract: {
          openapi: `${base}/openapi.yaml`,
          operation: { method: 'post', path: '/v1/invoices' },
          sha256: '0'.repeat(64),
        },
      };
      writeFileSync(configFile, JSON.stringify({ configVersion: 1, connections: [connection] }));
      await doctorCommand('invoices', {
        config: configFile,
        dataDir: join(dir, 'data'),
        json: true,
        timeout: '3000',
      });
      const { reports } = JSON.parse(out.join('')) as {
        reports: { checks: { id: string; status: string }[] }[];
      };
      expect(reports[0]?.checks.at(-1)).toMatchObject({ id: 'contract-pin', status: 'fail' });
      expect(process.exitCode).toBe(1);
    } finally {
      write.mockRestore();
      process.exitCode = undefined;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
