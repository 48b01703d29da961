// The web console over HTTPS: served with the configured certificate, Secure cookies, https Origins only; remote needs it.
import { request } from 'node:https';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { consoleSettingsSchema } from '../../main/config/console-settings.js';
import { consoleSignInUrl } from '../../main/commands/console-url-command.js';
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

function post(port: number, path: string, body: unknown, origin: string) {
  return new Promise<{ status: number; cookie: string }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        ca: pki.rootCa.certPem,
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
});
