// The web console over HTTPS: served with the configured certificate, Secure cookies, https Origins only; remote needs it.
import { X509Certificate } from 'node:crypto';
import { chmodSync, readFileSync, statSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { consoleSettingsSchema } from '../../main/config/console-settings.js';
import { consoleSignIn, consoleSignInUrl } from '../../main/commands/console-url-command.js';
import { readConsoleToken } from '../../main/console/console-token.js';
import { startConsole, type RunningConsole } from '../../main/console/start-console.js';
import { createTestPki } from '../support/test-ca.js';
import { useTempDir } from '../support/temp-dir.js';

const pki = createTestPki();
const tempDir = useTempDir({ prefix: 'console-https-' });
const running: RunningConsole[] = [];
const logger = pino({ level: 'silent' });
const handlers = {} as Parameters<typeof startConsole>[0]['handlers'];

afterAll(async () => {
  for (const c of running) await c.close();
  pki.remove();
});

function post(port: number, path: string, body: unknown, origin: string, ca: string = pki.rootCa.certPem) {
  return new Promise<{ status: number; cookie: string }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        ca,
        headers: { host: `127.0.0.1:${port}`, origin, 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, cookie: String(res.headers['set-cookie']?.[0] ?? '') }),
        );
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('console over HTTPS', () => {
  it('signs in over TLS with a Secure cookie, refuses http Origins, and console-url prints https', async () => {
    const dataDir = tempDir();
    const web = await startConsole({
      handlers,
      dataDir,
      logger,
      port: 0,
      tls: { certFile: pki.server.certFile, keyFile: pki.server.keyFile },
    });
    running.push(web);
    expect(web.url).toBe(`https://127.0.0.1:${web.port}/`);
    const token = await readConsoleToken(dataDir);
    const ok = await post(web.port, '/api/session', { token }, `https://127.0.0.1:${web.port}`);
    expect(ok.status).toBe(200);
    expect(ok.cookie).toMatch(/; Secure$/);
    const foreign = await post(web.port, '/api/session', { token }, `http://127.0.0.1:${web.port}`);
    expect(foreign.status).toBe(403);
    expect(await consoleSignInUrl(dataDir)).toMatch(
      new RegExp(`^https://127\\.0\\.0\\.1:${web.port}/#token=`),
    );
  });

  it('refuses allowRemote without a certificate, in the config and at start, and a key that does not match', async () => {
    const parsed = consoleSettingsSchema.safeParse({ host: '0.0.0.0', allowRemote: true });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/is required with allowRemote/);
    const dataDir = tempDir();
    await expect(
      startConsole({ handlers, dataDir, logger, host: '0.0.0.0', port: 0, allowRemote: true }),
    ).rejects.toThrow(/without console\.tls.*Fix: set console\.tls\.certFile/);
    await expect(
      startConsole({
        handlers,
        dataDir,
        logger,
        port: 0,
        tls: { certFile: pki.server.certFile, keyFile: pki.otherServer.keyFile },
      }),
    ).rejects.toThrow(/does not belong to the certificate/);
  });

  it('selfSigned: generates a certificate with node:crypto, stores it 0600, reuses it across restarts, shows its fingerprint', async () => {
    const dataDir = tempDir();
    const first = await startConsole({ handlers, dataDir, logger, port: 0, tls: { selfSigned: true } });
    running.push(first);
    const certFile = join(dataDir, 'console-tls', 'cert.pem');
    const certPem = readFileSync(certFile, 'utf8');
    const certificate = new X509Certificate(certPem);
    expect(first.certificateSha256).toBe(certificate.fingerprint256);
    expect(certificate.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(certificate.checkHost('localhost')).toBe('localhost');
    expect(certificate.verify(certificate.publicKey)).toBe(true); // self-signed
    for (const file of ['cert.pem', 'key.pem']) {
      expect(statSync(join(dataDir, 'console-tls', file)).mode & 0o777).toBe(0o600);
    }
    // A client that pins the generated certificate signs in over TLS.
    const token = await readConsoleToken(dataDir);
    const ok = await post(first.port, '/api/session', { token }, `https://127.0.0.1:${first.port}`, certPem);
    expect(ok.status).toBe(200);
    expect(await consoleSignIn(dataDir)).toEqual({
      url: expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+\/#token=/) as unknown,
      certificateSha256: certificate.fingerprint256,
    });
    await first.close();
    const second = await startConsole({ handlers, dataDir, logger, port: 0, tls: { selfSigned: true } });
    running.push(second);
    expect(second.certificateSha256).toBe(first.certificateSha256);
    expect(readFileSync(certFile, 'utf8')).toBe(certPem);
  });

  it('selfSigned: a new name in allowedHosts gets a new certificate; a key others can read is refused, not replaced', async () => {
    const dataDir = tempDir();
    const first = await startConsole({ handlers, dataDir, logger, port: 0, tls: { selfSigned: true } });
    await first.close();
    const remote = await startConsole({
      handlers,
      dataDir,
      logger,
      host: '0.0.0.0',
      port: 0,
      allowRemote: true,
      allowedHosts: ['agent.example.com'],
      tls: { selfSigned: true },
    });
    running.push(remote);
    expect(remote.certificateSha256).not.toBe(first.certificateSha256);
    const certificate = new X509Certificate(readFileSync(join(dataDir, 'console-tls', 'cert.pem')));
    expect(certificate.checkHost('agent.example.com')).toBe('agent.example.com');
    await remote.close();
    chmodSync(join(dataDir, 'console-tls', 'key.pem'), 0o644);
    await expect(
      startConsole({ handlers, dataDir, logger, port: 0, tls: { selfSigned: true } }),
    ).rejects.toThrow(/private key .*key\.pem is accessible by other users.*Fix: run: chmod 600/);
  });

  it('the config accepts tls: { selfSigned: true } with allowRemote and says so in the fix', () => {
    expect(
      consoleSettingsSchema.safeParse({ host: '0.0.0.0', allowRemote: true, tls: { selfSigned: true } })
        .success,
    ).toBe(true);
    const refused = consoleSettingsSchema.safeParse({ host: '0.0.0.0', allowRemote: true });
    expect(JSON.stringify(refused.error?.issues)).toMatch(/selfSigned: true/);
    expect(consoleSettingsSchema.safeParse({ tls: { selfSigned: false } }).success).toBe(false);
  });
});
