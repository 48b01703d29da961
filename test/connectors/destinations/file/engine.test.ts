// End to end through the real engine: files dropped into a source folder arrive as files in the destination folder.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { agentConfigSchema } from '../../../../main/config/schema.js';
import { Engine } from '../../../../main/engine/engine.js';
import { waitFor } from '../../../support/agent-process.js';
import { useTempDir } from '../../../support/temp-dir.js';

const tempDir = useTempDir({ prefix: 'file-engine-' });
const engines: Engine[] = [];
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.stop(1000);
});

async function startEngine(dir: string, destination: Record<string, unknown>) {
  const inbox = join(dir, 'inbox');
  const dataDir = join(dir, 'data');
  mkdirSync(inbox, { recursive: true });
  mkdirSync(dataDir, { recursive: true });
  const config = agentConfigSchema.parse({
    configVersion: 1,
    outbox: { minFreeDiskBytes: 0 },
    connections: [
      {
        id: 'drop',
        source: { type: 'folder', path: inbox, quietPeriodMs: 100 },
        destination: { type: 'file', retry: { baseMs: 20, capMs: 200 }, ...destination },
      },
    ],
  });
  const engine = await Engine.start({ config, dataDir, logger: pino({ level: 'silent' }), version: 'test' });
  engines.push(engine);
  return { engine, inbox };
}

const delivered = (engine: Engine, names: string[]) =>
  names.every((name) => engine.outbox.search({ businessKey: name, limit: 1 })[0]?.state === 'delivered');

const visible = (folder: string) => readdirSync(folder).filter((name) => !name.startsWith('.'));

describe('folder source → file destination through the engine', () => {
  it('writes each dropped file into the destination folder and the outbox shows it delivered', async () => {
    const dir = tempDir();
    const out = join(dir, 'out');
    const { engine, inbox } = await startEngine(dir, { folder: out, createFolder: true });
    writeFileSync(join(inbox, 'a.json'), '{"order":1}');
    writeFileSync(join(inbox, 'b.json'), '{"order":2}');

    await waitFor(() => delivered(engine, ['a.json', 'b.json']), 15_000, 'two records delivered');
    for (const [name, body] of [
      ['a.json', '{"order":1}'],
      ['b.json', '{"order":2}'],
    ] as const) {
      const [record] = engine.outbox.search({ businessKey: name, limit: 1 });
      const stored = engine.outbox.timeline(record!.id)?.record;
      expect(stored?.state).toBe('delivered');
      expect(stored?.receipt).toMatchObject({ code: 'written', serverId: `${record!.idempotencyKey}.json` });
      expect(readFileSync(join(out, `${record!.idempotencyKey}.json`), 'utf8')).toBe(body);
    }
    expect(readdirSync(out)).toHaveLength(2); // no temporary files left
    const connection = engine.status().connections[0];
    expect(connection?.destination).toMatchObject({ type: 'file' });
  });

  it('writes NDJSON batch files when batching is on', async () => {
    const dir = tempDir();
    const out = join(dir, 'out');
    mkdirSync(out);
    const { engine, inbox } = await startEngine(dir, {
      folder: out,
      batch: { format: 'ndjson', lingerMs: 500 },
    });
    writeFileSync(join(inbox, 'a.json'), '{"n":1}');
    writeFileSync(join(inbox, 'b.json'), '{"n":2}');
    await waitFor(
      () => visible(out).flatMap((f) => readFileSync(join(out, f), 'utf8').trim().split('\n')).length === 2,
      15_000,
      'both records in batch files',
    );
    const lines = visible(out).flatMap((f) => readFileSync(join(out, f), 'utf8').trim().split('\n'));
    expect(lines.sort()).toEqual(['{"n":1}', '{"n":2}']);
    expect(visible(out).every((f) => /^batch-\d+-[0-9a-f]{64}\.ndjson$/.test(f))).toBe(true);
    await waitFor(() => delivered(engine, ['a.json', 'b.json']), 15_000, 'the outbox to settle');
    const [record] = engine.outbox.search({ businessKey: 'a.json', limit: 1 });
    expect(record?.receipt).toMatchObject({ code: 'written', serverId: expect.stringMatching(/^batch-/) });
  });
});
