// HTTP transport TLS against real HTTPS servers: extra CA, untrusted issuers, pinning, mutual TLS, TLS 1.1 refusal, bad files.
import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RequestError } from 'got';
import {
  normalizeFingerprint,
  proxyConfigSchema,
  tlsConfigSchema,
} from '../../../../connectors/destinations/http/security-config.js';
import { TlsConfigError } from '../../../../connectors/destinations/http/tls.js';
import {
  createHttpTransport,
  describeTransportError,
  type HttpTransport,
} from '../../../../connectors/destinations/http/transport.js';
import { createTestPki, type TestPki } from '../../../support/test-ca.js';
import { startTlsServer, type TlsServer } from '../../../support/tls-server.js';

let pki: TestPki;
const servers: TlsServer[] = [];
const transports: HttpTransport[] = [];

beforeAll(() => {
  pki = createTestPki();
});
afterEach(async () => {
  for (const t of transports.splice(0)) t.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
afterAll(() => pki.remove());

const noSecrets = (name: string): string => {
  throw new Error(`unexpected secret lookup ${name}`);
};

async function server(options: Partial<Parameters<typeof startTlsServer>[0]> = {}): Promise<TlsServer> {
  const started = await startTlsServer({ cert: pki.server.certPem, key: pki.server.keyPem, ...options });
  servers.push(started);
  return started;
}

function transport(
  url: string,
  tlsInput: Record<string, unknown>,
  secrets: (name: string) => string = noSecrets,
): HttpTransport {
  const created = createHttpTransport({
    url,
    timeouts: { connectMs: 5000, responseMs: 5000, totalMs: 10_000 },
    concurrency: 2,
    tls: tlsConfigSchema.parse(tlsInput),
    proxy: proxyConfigSchema.parse({ mode: 'none' }),
    secrets,
  });
  transports.push(created);
  return created;
}

async function failure(t: HttpTransport, url: string): Promise<RequestError> {
  const error: unknown = await (await t.client()).get(url).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RequestError);
  return error as RequestError;
}

describe('server certificate verification', () => {
  it('trusts a server issued by the CA in caFile, in addition to the built-in roots', async () => {
    const s = await server();
    const t = transport(s.url, { caFile: pki.rootCa.certFile });
    const response = await (await t.client()).get(`${s.url}/ping`);
    expect(response.statusCode).toBe(200);
    expect(t.describe()).toEqual({ pinned: false, extraCa: true, clientCert: false });
  });

  it('refuses the same server without caFile and names the issuer and the caFile fix', async () => {
    const s = await server();
    const t = transport(s.url, {});
    const error = await failure(t, s.url);
    const described = describeTransportError(error);
    expect(described.code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect(described.message).toContain(`the server's certificate (127.0.0.1:${s.port}) is not trusted`);
    expect(described.message).toContain('issuer: CN=Agent Test Root CA, O=Integration Agent Tests');
    expect(described.message).toContain('destination.tls.caFile');
    expect(s.requests()).toBe(0);
  });

  it('refuses a server whose certificate comes from an unrelated CA (TLS interception)', async () => {
    const s = await server({ cert: pki.otherServer.certPem, key: pki.otherServer.keyPem });
    const t = transport(s.url, { caFile: pki.rootCa.certFile });
    const described = describeTransportError(await failure(t, s.url));
    expect(described.message).toContain('issuer: CN=Unrelated Inspection CA');
    expect(described.message).toContain('corporate root CA');
    expect(s.requests()).toBe(0);
  });

  it('keeps verification on even when a request asks to turn it off', async () => {
    const s = await server();
    const t = transport(s.url, {});
    const error: unknown = await (await t.client()).get(s.url, { https: { rejectUnauthorized: false } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(describeTransportError(error).message).toContain('not trusted');
    expect(s.requests()).toBe(0);
  });

  it('checks the host name: a certificate for 127.0.0.1/localhost does not pass for another name', async () => {
    const s = await server();
    const t = transport(s.url, { caFile: pki.rootCa.certFile });
    const error: unknown = await (
      await t.client()
    )
      .get(s.url, { https: { serverName: 'api.example.com' }, headers: { host: 'api.example.com' } })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    // The agent's own checkServerIdentity runs with the name used for SNI.
    expect(describeTransportError(error).code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(describeTransportError(error).message).toContain('not valid for the host name');
  });
});

describe('certificate pinning', () => {
  it('accepts the pinned leaf fingerprint (AA:BB:… form)', async () => {
    const s = await server();
    const t = transport(s.url, { caFile: pki.rootCa.certFile, pinnedSha256: [pki.server.sha256] });
    expect((await (await t.client()).get(s.url)).statusCode).toBe(200);
    expect(t.describe().pinned).toBe(true);
  });

  it('accepts a pinned CA fingerprint written as lowercase hex without colons', async () => {
    const s = await server();
    const hex = pki.rootCa.sha256.replace(/:/g, '').toLowerCase();
    const t = transport(s.url, { caFile: pki.rootCa.certFile, pinnedSha256: [hex] });
    expect((await (await t.client()).get(s.url)).statusCode).toBe(200);
  });

  it('refuses a trusted server whose chain matches no pin', async () => {
    const s = await server();
    const t = transport(s.url, { caFile: pki.rootCa.certFile, pinnedSha256: [pki.otherCa.sha256] });
    const described = describeTransportError(await failure(t, s.url));
    expect(described.code).toBe('ERR_TLS_PIN_MISMATCH');
    expect(described.message).toContain(`certificate fingerprint ${pki.server.sha256}`);
    expect(described.message).toContain('does not match pinnedSha256');
    expect(s.requests()).toBe(0);
  });

  it('normalises and validates fingerprints in the config', () => {
    const written = pki.server.sha256.replace(/:/g, ' ').toLowerCase();
    const parsed = tlsConfigSchema.parse({ pinnedSha256: [written] });
    expect(parsed.pinnedSha256?.map(normalizeFingerprint)).toEqual([pki.server.sha256]);
    const result = tlsConfigSchema.safeParse({ pinnedSha256: ['abcd'] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('SHA-256');
  });
});

describe('mutual TLS', () => {
  const mtlsServer = () => server({ ca: pki.clientCa.certPem, requestCert: true });

  it('presents the client certificate to a server that requires one', async () => {
    const s = await mtlsServer();
    const t = transport(s.url, {
      caFile: pki.rootCa.certFile,
      clientCertFile: pki.client.certFile,
      clientKeyFile: pki.client.keyFile,
    });
    const response = await (await t.client()).get(s.url, { responseType: 'json' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toMatchObject({ clientCert: 'integration-agent' });
    expect(t.describe().clientCert).toBe(true);
  });

  it('decrypts a passphrase-protected client key with the passphrase from the secret store', async () => {
    const s = await mtlsServer();
    const t = transport(
      s.url,
      {
        caFile: pki.rootCa.certFile,
        clientCertFile: pki.client.certFile,
        clientKeyFile: pki.encryptedClientKey.keyFile,
        clientKeyPassphrase: { secretRef: 'client-key-pass' },
      },
      (name) => (name === 'client-key-pass' ? pki.encryptedClientKey.passphrase : noSecrets(name)),
    );
    expect((await (await t.client()).get(s.url)).statusCode).toBe(200);
  });

  it('is refused without a client certificate, with a message that says so', async () => {
    const s = await mtlsServer();
    const t = transport(s.url, { caFile: pki.rootCa.certFile });
    const described = describeTransportError(await failure(t, s.url));
    expect(described.message).toContain('requires a client certificate');
    expect(described.message).toContain('clientCertFile');
    expect(s.requests()).toBe(0);
  });

  it('requires cert and key together', () => {
    const result = tlsConfigSchema.safeParse({ clientCertFile: pki.client.certFile });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({
      path: ['clientKeyFile'],
      message: 'clientCertFile and clientKeyFile must be given together',
    });
  });
});

describe('protocol version', () => {
  it('refuses a server that only speaks TLS 1.1, which a legacy client could still reach', async () => {
    const s = await server({ minVersion: 'TLSv1', maxVersion: 'TLSv1.1' });
    const legacy = await new Promise<string | null>((resolve, reject) => {
      const socket = tls.connect({
        host: '127.0.0.1',
        port: s.port,
        ca: pki.rootCa.certPem,
        minVersion: 'TLSv1',
        ciphers: 'DEFAULT@SECLEVEL=0',
      });
      socket.once('secureConnect', () => {
        resolve(socket.getProtocol());
        socket.destroy();
      });
      socket.once('error', reject);
    });
    expect(legacy).toBe('TLSv1.1');

    const t = transport(s.url, { caFile: pki.rootCa.certFile });
    const described = describeTransportError(await failure(t, s.url));
    expect(described.message).toContain('does not offer TLS 1.2 or newer');
  });
});

describe('TLS files are checked when the transport is built', () => {
  const build =
    (tlsInput: Record<string, unknown>, secrets: (name: string) => string = noSecrets) =>
    () =>
      transport('https://127.0.0.1:1/', tlsInput, secrets);

  it('names a missing caFile', () => {
    const file = path.join(pki.dir, 'missing.pem');
    expect(build({ caFile: file })).toThrow(TlsConfigError);
    expect(build({ caFile: file })).toThrow(`destination.tls.caFile ${file} does not exist`);
  });

  it('explains a caFile that is not PEM', () => {
    const file = path.join(pki.dir, 'ca.der');
    fs.writeFileSync(file, Buffer.from([0x30, 0x82, 0x01, 0x0a, 0x02]));
    expect(build({ caFile: file })).toThrow(/contains no PEM certificate.*openssl x509 -inform der/);
  });

  it('says which secret to check when the client key passphrase is wrong, without the passphrase', () => {
    const wrong = 'not-the-passphrase-4711';
    const attempt = build(
      {
        clientCertFile: pki.client.certFile,
        clientKeyFile: pki.encryptedClientKey.keyFile,
        clientKeyPassphrase: { secretRef: 'client-key-pass' },
      },
      () => wrong,
    );
    expect(attempt).toThrow(
      `cannot decrypt client key ${pki.encryptedClientKey.keyFile}: check the secret client-key-pass`,
    );
    try {
      attempt();
    } catch (error) {
      expect(String(error)).not.toContain(wrong);
    }
  });

  it('asks for a passphrase secret when the key is encrypted and none is configured', () => {
    expect(
      build({ clientCertFile: pki.client.certFile, clientKeyFile: pki.encryptedClientKey.keyFile }),
    ).toThrow(/is encrypted\. Fix: .*clientKeyPassphrase/);
  });

  it('notices a key that does not belong to the certificate', () => {
    expect(build({ clientCertFile: pki.client.certFile, clientKeyFile: pki.server.keyFile })).toThrow(
      /does not belong to the certificate/,
    );
  });
});
