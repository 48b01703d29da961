// The web console's pages and plumbing: renderer files with CSP and no escapes, metrics access, the address file behind console-url, refusals at start.
import { rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { consoleSignInUrl } from '../../main/commands/console-url-command.js';
import { readConsoleAddress } from '../../main/console/console-address.js';
import { contentSecurityPolicy } from '../../main/console/http-response.js';
import { startConsole } from '../../main/console/start-console.js';
import { useConsole } from './console-harness.js';

const start = useConsole('console-static-');
const metrics = () => Promise.resolve({ text: 'agent_up 1\n', contentType: 'text/plain; version=0.0.4' });
const handlers = { call: () => Promise.resolve({}), subscribe: () => () => undefined };

describe('web console: pages', () => {
  it('serves the renderer with a strict CSP and the other security headers', async () => {
    const c = await start();
    const page = await c.send('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('assets/app.js');
    expect(page.headers['content-security-policy']).toBe(contentSecurityPolicy);
    expect(contentSecurityPolicy).toBe(
      "default-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; connect-src 'self'",
    );
    expect(page.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
    });
    const script = await c.send('/assets/app.js');
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await c.send('/records')).text).toContain('assets/app.js'); // app routes get the page
    expect((await c.send('/assets/missing.js')).status).toBe(404);
    const refused = await c.send('/api/nothing');
    expect(refused.headers['content-security-policy']).toBe(contentSecurityPolicy);
    expect(refused.headers['cache-control']).toBe('no-store');
  });

  it('a path that starts with // or /\\ is still a path: the page or a 404, not a 500 (found by the fuzz suite)', async () => {
    const c = await start();
    for (const path of ['//', '/\\', '//api/events', '/\\x?session=1']) {
      const answer = await c.send(path);
      expect([200, 404]).toContain(answer.status);
    }
    expect((await c.send('//api/call/status')).status).toBe(200); // no API there: the app's page
  });

  it('never serves a file outside the renderer folder, nor dotfiles', async () => {
    const c = await start();
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/..%5c..%5csecret.txt',
      '/.env',
      '/%2eenv',
      '/assets/app.js%00.html',
      '/%E0%A4%A',
    ]) {
      const answer = await c.send(path);
      expect(answer.status, path).toBe(404);
      expect(answer.text, path).not.toMatch(/outside the static folder|HIDDEN/);
    }
  });

  it('serves the page held since start until it is rebuilt, then the new one; a removed page is 503 again', async () => {
    const c = await start();
    const index = join(c.staticDir, 'index.html');
    expect((await c.send('/')).text).toContain('assets/app.js');
    writeFileSync(index, '<!doctype html><script type="module" src="./assets/app-2.js"></script>');
    utimesSync(index, new Date(), new Date(Date.now() + 5000)); // a rebuild: another mtime (and here another size)
    const rebuilt = await c.send('/');
    expect(rebuilt.text).toContain('assets/app-2.js');
    expect(rebuilt.headers['content-length']).toBe(String(Buffer.byteLength(rebuilt.text)));
    expect((await c.send('/records')).text).toContain('assets/app-2.js');
    rmSync(index);
    expect((await c.send('/')).status).toBe(503);
    expect((await c.send('/records')).status).toBe(404);
  });

  it('says how to build the page when the renderer is missing', async () => {
    const c = await start({ staticDir: '/nonexistent/renderer' });
    const answer = await c.send('/');
    expect(answer.status).toBe(503);
    expect(answer.text).toContain('npm run build');
  });
});

describe('web console: metrics', () => {
  it('needs the token by default', async () => {
    const c = await start({ metrics });
    expect((await c.send('/metrics')).status).toBe(401);
    const scraped = await c.send('/metrics', { headers: { authorization: `Bearer ${c.token}` } });
    expect(scraped.status).toBe(200);
    expect(scraped.headers['content-type']).toBe('text/plain; version=0.0.4');
    expect(scraped.text).toBe('agent_up 1\n');
  });

  it('lets a loopback Prometheus scrape without the token when the config allows it', async () => {
    const c = await start({ metrics, openMetricsOnLoopback: true });
    expect((await c.send('/metrics')).status).toBe(200);
  });

  it('is 404 when the agent has no metrics', async () => {
    const c = await start();
    expect((await c.send('/metrics', { headers: { authorization: `Bearer ${c.token}` } })).status).toBe(404);
  });
});

describe('web console: address and start-up', () => {
  it('writes its real port for console-url, which prints the sign-in link; the file goes on close', async () => {
    const c = await start();
    expect(c.console.port).toBeGreaterThan(0);
    expect(c.console.url).toBe(`http://127.0.0.1:${c.console.port}/`);
    expect(await readConsoleAddress(c.dataDir)).toEqual({
      host: '127.0.0.1',
      port: c.console.port,
      pid: process.pid,
    });
    expect(await consoleSignInUrl(c.dataDir)).toBe(`http://127.0.0.1:${c.console.port}/#token=${c.token}`);
    await c.console.close();
    expect(await readConsoleAddress(c.dataDir)).toBeUndefined();
    await expect(consoleSignInUrl(c.dataDir)).rejects.toThrow(
      /web console is not running .* Fix: start the agent/,
    );
  });

  it('refuses a non-loopback address unless allowRemote, and a busy port, with the fix', async () => {
    const c = await start();
    const logger = pino({ level: 'silent' });
    await expect(
      startConsole({ handlers, dataDir: c.dataDir, logger, host: '0.0.0.0', port: 0 }),
    ).rejects.toThrow(/0\.0\.0\.0, which is not a loopback address.*Fix: .*allowRemote/);
    await expect(
      startConsole({ handlers, dataDir: c.dataDir, logger, port: c.console.port }),
    ).rejects.toThrow(/cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\)\. Fix: set console\.port/);
  });
});
