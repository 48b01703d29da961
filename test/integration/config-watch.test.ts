// Edits of the config file apply live (only the affected connections rebuilt); an invalid edit is refused with the reason in status while the running config stays.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../main/config/load-config.js';
import { ConfigWatch } from '../../main/engine/config-watch.js';
import { Engine } from '../../main/engine/engine.js';
import { waitFor } from '../support/agent-process.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir({ prefix: 'config-watch-' });
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function yaml(connections: string[]): string {
  return [
    '# hand-written config',
    'configVersion: 1',
    'outbox: { minFreeDiskBytes: 0 }',
    `connections:${connections.length === 0 ? ' []' : ''}`,
    ...connections,
    '',
  ].join('\n');
}

const folderToHttp = (id: string, inbox: string) =>
  [
    `  - id: ${id}`,
    `    source: { type: folder, path: ${JSON.stringify(inbox)} }`,
    `    destination: { type: http, url: "http://127.0.0.1:9/ingest/${id}" }`,
  ].join('\n');

async function setUp() {
  const dir = tempDir();
  const dataDir = join(dir, 'data');
  const inboxA = join(dir, 'a');
  const inboxB = join(dir, 'b');
  for (const d of [dataDir, inboxA, inboxB]) mkdirSync(d, { recursive: true });
  const file = join(dir, 'config.yaml');
  writeFileSync(file, yaml([folderToHttp('a', inboxA)]));
  const engine = await Engine.start({
    config: (await loadConfigFile(file)).config,
    dataDir,
    logger: pino({ level: 'silent' }),
    version: 'test',
    configFile: file,
  });
  cleanups.push(() => engine.stop(1000));
  const watch = new ConfigWatch(engine, file, { debounceMs: 50 });
  watch.start();
  cleanups.push(() => watch.stop());
  return { engine, watch, file, inboxA, inboxB };
}

const ids = (engine: Engine) => engine.status().connections.map((c) => c.id);
const messages = (engine: Engine) => engine.status().notices.map((n) => n.message);

describe('config file watch', () => {
  it('applies a saved edit by itself: the added connection starts, the untouched one keeps running', async () => {
    const { engine, file, inboxA, inboxB } = await setUp();
    const runtimeA = engine.connections.list().find((c) => c.config.id === 'a');
    writeFileSync(file, yaml([folderToHttp('a', inboxA), folderToHttp('b', inboxB)]));
    await waitFor(() => ids(engine).join() === 'a,b', 10_000, 'connection b to start');
    expect(engine.connections.list().find((c) => c.config.id === 'a')).toBe(runtimeA);
  });

  it('refuses an invalid edit with the reason in status, keeps the running config, and clears the notice once fixed', async () => {
    const { engine, watch, file, inboxA, inboxB } = await setUp();
    writeFileSync(file, yaml([folderToHttp('a', inboxA), '  - id: b', '    source: { type: folder }']));
    const refused = await watch.reload();
    expect(refused.kind).toBe('refused');
    expect(ids(engine)).toEqual(['a']);
    const notice = messages(engine).find((m) => m.startsWith('The edited config file was not applied'));
    expect(notice).toContain('keeps running the previous config');
    expect(notice).toContain('connections[1]');

    writeFileSync(file, yaml([folderToHttp('b', inboxB)]));
    expect(await watch.reload()).toEqual({ kind: 'applied', changed: ['a', 'b'] });
    expect(ids(engine)).toEqual(['b']);
    expect(messages(engine).filter((m) => m.startsWith('The edited config file'))).toEqual([]);
    expect(await watch.reload()).toEqual({ kind: 'unchanged' });
  });
});
