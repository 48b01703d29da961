// got (about 14 MB resident with what it pulls in) loads on an HTTP transport's first request, not when it is built.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runScript } from '../support/run-script.js';
import { useTempDir } from '../support/temp-dir.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const dir = useTempDir({ prefix: 'lazy-got-' });

/** A module hook (run by Node off the main thread) that notes every module file it loads. */
const hooks = `
import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function load(url, context, next) {
  appendFileSync(log, url + '\\n');
  return next(url, context);
}`;

const probe = (transportUrl: string) => `
import { register } from 'node:module';
import { readFileSync } from 'node:fs';
const log = process.env.LOADED_LOG;
register(process.env.HOOKS_URL, { data: { log } });
const gotLoaded = () => readFileSync(log, 'utf8').split('\\n').some((url) => url.includes('/node_modules/got/'));
const { createHttpTransport } = await import(${JSON.stringify(transportUrl)});
const transport = createHttpTransport({
  url: 'https://api.example.test/ingest',
  timeouts: { connectMs: 1000, responseMs: 1000, totalMs: 2000 },
  concurrency: 2,
  tls: {},
  proxy: { mode: 'none' },
  secrets: () => { throw new Error('no secrets here'); },
});
const built = gotLoaded();
const client = await transport.client();
const again = await transport.client();
transport.close();
process.stdout.write(JSON.stringify({ built, used: gotLoaded(), extendable: typeof client.extend, same: client === again }));
`;

describe('HTTP transport', () => {
  it('loads got on the first client() call, not when the transport is built, and keeps one client', async () => {
    const hooksFile = path.join(dir(), 'hooks.mjs');
    const probeFile = path.join(dir(), 'probe.mjs');
    const log = path.join(dir(), 'loaded.txt');
    fs.writeFileSync(hooksFile, hooks);
    fs.writeFileSync(log, '');
    const transport = pathToFileURL(path.join(repoRoot, 'connectors/destinations/http/transport.ts')).href;
    fs.writeFileSync(probeFile, probe(transport));
    const { code, out, err } = await runScript(probeFile, {
      LOADED_LOG: log,
      HOOKS_URL: pathToFileURL(hooksFile).href,
    });
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({ built: false, used: true, extendable: 'function', same: true });
  });
});
