// Network doctor against real TLS servers: trusted via caFile, an intercepting CA, pins, expiring certs, clock skew, DNS, refused ports.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { httpDestinationSchema } from '../../../../connectors/destinations/http/config.js';
import { runHttpDoctor } from '../../../../connectors/destinations/http/doctor/index.js';
import {
  doctorReportSchema,
  type DoctorCheck,
  type DoctorReport,
} from '../../../../preload/contract/doctor.js';
import { createTestPki, type TestPki } from '../../../support/test-ca.js';
import { startTlsServer, type TlsServer, type TlsServerOptions } from '../../../support/tls-server.js';

let pki: TestPki;
const servers: TlsServer[] = [];

beforeAll(() => {
  pki = createTestPki();
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
afterAll(() => pki?.remove());

const noSecrets = (name: string): string => {
  throw new Error(`unexpected secret lookup ${name}`);
};

async function server(options: Partial<TlsServerOptions> = {}): Promise<TlsServer> {
  const started = await startTlsServer({ cert: pki.server.certPem, key: pki.server.keyPem, ...options });
  servers.push(started);
  return started;
}

async function doctor(
  input: Record<string, unknown>,
  options: Partial<Parameters<typeof runHttpDoctor>[1]> = {},
): Promise<DoctorReport> {
  const destination = httpDestinationSchema.parse({ type: 'http', proxy: { mode: 'none' }, ...input });
  const report = await runHttpDoctor(destination, { secrets: noSecrets, timeoutMs: 3000, ...options });
  expect(doctorReportSchema.parse(report)).toEqual(report);
  return report;
}

function check(report: DoctorReport, id: string): DoctorCheck {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no ${id} check in ${JSON.stringify(report.checks)}`);
  return found;
}

/** A CA valid a year and server certificates for 127.0.0.1 valid the given number of days (openssl). */
function certificatesValidFor(days: number[]): { caFile: string; servers: { cert: string; key: string }[] } {
  const dir = fs.mkdtempSync(path.join(pki.dir, 'expiry-'));
  const run = (args: string[]) =>
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-noenc'];
  run([
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '365',
    '-subj',
    '/CN=Expiry Test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  fs.writeFileSync(
    path.join(dir, 'leaf.ext'),
    'basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1\n',
  );
  const leaves = days.map((valid, index) => {
    run([
      'req',
      '-new',
      ...ec,
      '-keyout',
      `leaf${index}.key`,
      '-out',
      `leaf${index}.csr`,
      '-subj',
      `/CN=leaf-${valid}-days`,
    ]);
    run([
      'x509',
      '-req',
      '-in',
      `leaf${index}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-set_serial',
      String(100 + index),
      '-days',
      String(valid),
      '-extfile',
      'leaf.ext',
      '-out',
      `leaf${index}.crt`,
    ]);
    return {
      cert: fs.readFileSync(path.join(dir, `leaf${index}.crt`), 'utf8'),
      key: fs.readFileSync(path.join(dir, `leaf${index}.key`), 'utf8'),
    };
  });
  return { caFile: path.join(dir, 'ca.crt'), servers: leaves };
}

describe('TLS checks', () => {
  it('passes a server whose test CA is trusted via caFile and reports protocol, cipher and the chain', async () => {
    const s = await server();
    const report = await doctor({ url: `${s.url}/v1/records`, tls: { caFile: pki.rootCa.certFile } });
    expect(report.destination).toBe(`${s.url}/v1/records`);
    for (const id of ['dns', 'tcp', 'tls', 'interception', 'clock', 'dry-run'])
      expect(check(report, id).status, JSON.stringify(check(report, id))).toBe('pass');
    expect(check(report, 'proxy')).toMatchObject({
      status: 'skip',
      detail: expect.stringContaining('mode is none'),
    });
    const tls = check(report, 'tls');
    expect(tls.data).toMatchObject({ protocol: 'TLSv1.3', cipher: expect.stringMatching(/^TLS_/) });
    const chain = tls.data?.chain as { subject: string; sha256: string; validTo: string }[];
    expect(chain.map((c) => c.sha256)).toEqual([pki.server.sha256, pki.rootCa.sha256]);
    expect(chain[0]?.subject).toBe('CN=localhost, O=Integration Agent Tests');
    expect(check(report, 'interception').detail).toContain('CN=Agent Test Root CA');
    // createTestPki certificates are valid for 2 days: within the 14-day warning.
    expect(check(report, 'certificate').status).toBe('warn');
    expect(check(report, 'dry-run').detail).toMatch(
      /^OPTIONS https:\/\/127\.0\.0\.1:\d+\/v1\/records → HTTP 200/,
    );
    expect(s.requests()).toBe(1);
    expect(report.overall).toBe('warn');
  });

  it('detects interception when the chain is signed by another CA, and names that CA in the fix', async () => {
    const s = await server({ cert: pki.otherServer.certPem, key: pki.otherServer.keyPem });
    const report = await doctor({ url: s.url, tls: { caFile: pki.rootCa.certFile } });
    const interception = check(report, 'interception');
    expect(interception.status).toBe('fail');
    expect(interception.detail).toBe(
      'your network is intercepting TLS (issuer CN=Unrelated Inspection CA, O=Integration Agent Tests): the chain leads neither to a public root CA nor to a CA in destination.tls.caFile',
    );
    expect(interception.fix).toContain(
      '"CN=Unrelated Inspection CA, O=Integration Agent Tests" is your company',
    );
    expect(interception.fix).toMatch(
      /destination\.tls: \{ caFile: \/etc\/integration-agent\/unrelated-inspection-ca\.pem \}/,
    );
    const tls = check(report, 'tls');
    expect(tls.status).toBe('fail');
    expect(tls.detail).toContain('is not trusted (issuer: CN=Unrelated Inspection CA');
    expect(tls.data?.code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect(check(report, 'dry-run').status).toBe('skip');
    expect(s.requests()).toBe(0);
    expect(report.overall).toBe('fail');
  });

  it('trusts the inspecting CA once it is in caFile, but an expected issuer still reveals the interception', async () => {
    const s = await server({ cert: pki.otherServer.certPem, key: pki.otherServer.keyPem });
    const trusted = await doctor({ url: s.url, tls: { caFile: pki.otherCa.certFile } });
    expect(check(trusted, 'interception')).toMatchObject({
      status: 'pass',
      detail: expect.stringContaining('from destination.tls.caFile'),
    });
    expect(check(trusted, 'tls').status).toBe('pass');
    const expected = await doctor(
      { url: s.url, tls: { caFile: pki.otherCa.certFile } },
      { expectedIssuerSha256: [pki.rootCa.sha256.replace(/:/g, '').toLowerCase()] },
    );
    expect(check(expected, 'interception')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('your network is intercepting TLS (issuer CN=Unrelated Inspection CA'),
    });
    const matching = await doctor(
      { url: s.url, tls: { caFile: pki.otherCa.certFile } },
      { expectedIssuerSha256: [pki.otherCa.sha256] },
    );
    expect(check(matching, 'interception').status).toBe('pass');
  });

  it('fails a pinned destination whose chain carries none of the pins', async () => {
    const s = await server();
    const report = await doctor({
      url: s.url,
      tls: { caFile: pki.rootCa.certFile, pinnedSha256: [pki.otherCa.sha256] },
    });
    expect(check(report, 'interception')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('pinnedSha256'),
    });
    expect(check(report, 'tls')).toMatchObject({ status: 'fail', data: { code: 'ERR_TLS_PIN_MISMATCH' } });
  });

  it('warns about a certificate valid 5 more days and passes one valid 60 days', async () => {
    const made = certificatesValidFor([5, 60]);
    const short = await server(made.servers[0]);
    const long = await server(made.servers[1]);
    const warned = await doctor({ url: short.url, tls: { caFile: made.caFile } });
    expect(check(warned, 'certificate')).toMatchObject({
      status: 'warn',
      detail: expect.stringMatching(/^the server's certificate \(CN=leaf-5-days\) expires in 4 days/),
      data: { soonest: { subject: 'CN=leaf-5-days', daysLeft: 4 } },
    });
    expect(warned.overall).toBe('warn');
    const fine = await doctor({ url: long.url, tls: { caFile: made.caFile } });
    expect(check(fine, 'certificate').status).toBe('pass');
    expect(fine.overall).toBe('pass');
  });
});

describe('clock, DNS and TCP', () => {
  const skewed = (offsetMs: number) => (_request: http.IncomingMessage, response: http.ServerResponse) => {
    response.writeHead(204, { date: new Date(Date.now() + offsetMs).toUTCString() });
    response.end();
  };

  it('fails when the server clock is 10 minutes ahead and warns at 2 minutes', async () => {
    const ahead = await server({ handler: skewed(10 * 60_000) });
    const report = await doctor({ url: ahead.url, tls: { caFile: pki.rootCa.certFile } });
    expect(check(report, 'clock')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/^this computer's clock is 10 min behind 127\.0\.0\.1:\d+'s clock$/),
      fix: expect.stringContaining('OAuth tokens and HMAC signatures'),
    });
    expect(report.overall).toBe('fail');
    const little = await server({ handler: skewed(2 * 60_000) });
    expect(
      check(await doctor({ url: little.url, tls: { caFile: pki.rootCa.certFile } }), 'clock').status,
    ).toBe('warn');
  });

  it('fails DNS for a name that does not exist and skips what depends on it', async () => {
    const report = await doctor({ url: 'https://does-not-exist.invalid/v1' });
    expect(check(report, 'dns')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('does-not-exist.invalid was not found'),
      fix: expect.stringContaining('check the host name in destination.url'),
    });
    for (const id of ['tcp', 'tls', 'interception', 'certificate', 'dry-run'])
      expect(check(report, id).status).toBe('skip');
    expect(report.overall).toBe('fail');
  });

  it('fails TCP with a refused port and checks plain http on loopback without TLS', async () => {
    const plain = http.createServer(skewed(0));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const { port } = plain.address() as AddressInfo;
    try {
      const ok = await doctor({ url: `http://127.0.0.1:${port}/in` });
      expect(check(ok, 'tls')).toMatchObject({
        status: 'skip',
        detail: 'plain http to a loopback address: no TLS',
      });
      expect(check(ok, 'dry-run').status).toBe('pass');
    } finally {
      await new Promise((resolve) => plain.close(resolve));
    }
    const refused = await doctor({ url: `http://127.0.0.1:${port}/in` });
    expect(check(refused, 'tcp')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining(`cannot connect to 127.0.0.1:${port}`),
      fix: expect.stringContaining('nothing accepts connections'),
    });
  });
});
