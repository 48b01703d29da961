// A save through the UI touches only what changed in a hand-written YAML config: comments, layout and defaults left out stay as written.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createAgentHandlers } from '../../main/api/agent-handlers.js';
import { createEngineBackend } from '../../main/api/engine-backend.js';
import { loadConfigFile } from '../../main/config/load-config.js';
import { Engine } from '../../main/engine/engine.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir({ prefix: 'config-comments-' });
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const admin = { role: 'admin' as const, actor: 'test admin' };

async function setUp(text: string) {
  const dir = tempDir();
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  for (const inbox of ['in-a', 'in-b', 'in-c']) mkdirSync(join(dir, inbox));
  const file = join(dir, 'config.yaml');
  writeFileSync(file, text.replaceAll('DIR', dir));
  const engine = await Engine.start({
    config: (await loadConfigFile(file)).config,
    dataDir,
    logger: pino({ level: 'silent' }),
    version: 'test',
    configFile: file,
  });
  cleanups.push(() => engine.stop(1000));
  const backend = createEngineBackend({ engine, configFile: file });
  cleanups.push(() => backend.close());
  return { handlers: createAgentHandlers(backend), file, dir };
}

const handWritten = `# Agent config, maintained by hand (ticket OPS-12)
configVersion: 1
outbox: { minFreeDiskBytes: 0 } # the test disk is small

connections:
  # Invoices from the ERP export share
  - id: a
    name: Invoices
    source: { type: folder, path: DIR/in-a } # mounted share
    destination:
      type: http
      url: http://127.0.0.1:9/ingest/a # staging API
  # Orders
  - id: b
    source: { type: folder, path: DIR/in-b }
    destination: { type: http, url: http://127.0.0.1:9/ingest/b }
`;

describe('saving a commented YAML config from the UI', () => {
  it('keeps every comment and changes only the edited value', async () => {
    const { handlers, file, dir } = await setUp(handWritten);
    // The Edit page sends back the whole validated config, every default filled in.
    const { config: connection } = (await handlers.call('getConnection', { id: 'a' }, admin)) as {
      config: Record<string, unknown>;
    };
    const destination = connection.destination as Record<string, unknown>;
    await handlers.call(
      'updateConnection',
      {
        id: 'a',
        connection: { ...connection, destination: { ...destination, url: 'http://127.0.0.1:9/v2/a' } },
      },
      admin,
    );
    const expected = handWritten
      .replaceAll('DIR', dir)
      .replace('http://127.0.0.1:9/ingest/a', 'http://127.0.0.1:9/v2/a');
    expect(readFileSync(file, 'utf8')).toBe(expected);
  });

  it('adds and removes connections without touching the comments of the others or writing defaults', async () => {
    const { handlers, file, dir } = await setUp(handWritten);
    await handlers.call('removeConnection', { id: 'b' }, admin);
    await handlers.call(
      'addConnection',
      {
        connection: {
          id: 'c',
          source: { type: 'folder', path: join(dir, 'in-c'), quietPeriodMs: 2000 },
          destination: { type: 'http', url: 'http://127.0.0.1:9/ingest/c' },
        },
      },
      admin,
    );
    const text = readFileSync(file, 'utf8');
    for (const comment of [
      '# Agent config, maintained by hand',
      '# the test disk is small',
      '# Invoices from the ERP',
      '# mounted share',
      '# staging API',
    ])
      expect(text).toContain(comment);
    expect(text).not.toContain('# Orders');
    expect(text).not.toContain('id: b');
    expect(text).toContain('id: c');
    expect(text.split('\n').length).toBeLessThan(handWritten.split('\n').length + 6);
    expect((await loadConfigFile(file)).config.connections.map((c) => c.id)).toEqual(['a', 'c']);
  });
});
