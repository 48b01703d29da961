// The real engine with a folder source of several folders: marker files, delete records, status, across a restart.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { agentConfigSchema } from '../../../../main/config/schema.js';
import { Engine } from '../../../../main/engine/engine.js';
import { waitFor } from '../../../support/agent-process.js';
import { startIngestServer, type IngestServer } from '../../../support/ingest.js';
import { useTempDir } from '../../../support/temp-dir.js';

const tempDir = useTempDir({ prefix: 'folder-it-' });
let engine: Engine | undefined;
let ingest: IngestServer | undefined;

afterEach(async () => {
  await engine?.stop(1000);
  await ingest?.close();
  engine = undefined;
  ingest = undefined;
});

function start(dataDir: string, source: Record<string, unknown>, url: string): Promise<Engine> {
  const config = agentConfigSchema.parse({
    configVersion: 1,
    outbox: { minFreeDiskBytes: 0 },
    connections: [
      {
        id: 'files',
        source: { type: 'folder', ...source },
        destination: {
          type: 'http',
          url: `${url}/ingest/files`,
          retry: { baseMs: 20, capMs: 200 },
          circuitBreaker: { enabled: false },
        },
      },
    ],
  });
  return Engine.start({ config, dataDir, logger: pino({ level: 'silent' }), version: 'test' });
}

const sourceStatus = (e: Engine) => e.status().connections[0]?.source;

describe('folder source in the engine', () => {
  it('delivers finished files of two folders and their deletions, and says what it guarantees', async () => {
    const dir = tempDir();
    const main = join(dir, 'main');
    const extra = join(dir, 'extra');
    mkdirSync(main);
    mkdirSync(extra);
    ingest = await startIngestServer();
    const source = {
      path: main,
      paths: [extra],
      finishedWhen: 'marker',
      quietPeriodMs: 100,
      emitDeletes: true,
    };
    engine = await start(join(dir, 'data'), source, ingest.url);

    const status = sourceStatus(engine);
    expect(status).toMatchObject({
      type: 'folder',
      state: 'running',
      mode: 'whole file, finished when its .done marker file is written',
      lagMs: 0,
    });
    expect(status?.guarantee).toContain(`the folders ${main}, ${extra} (with subfolders)`);
    expect(status?.guarantee).toContain('sent as a delete record');

    writeFileSync(join(main, 'orders.csv'), 'main orders');
    writeFileSync(join(extra, 'orders.csv'), 'extra orders');
    await waitFor(() => (sourceStatus(engine!)?.lagMs ?? 0) > 0, 3000, 'lag while waiting for markers');
    writeFileSync(join(main, 'orders.csv.done'), '');
    writeFileSync(join(extra, 'orders.csv.done'), '');
    await waitFor(() => ingest!.applied().length === 2, 10_000, 'both files delivered');
    expect(
      ingest
        .applied()
        .map((a) => a.body.toString())
        .sort(),
    ).toEqual(['extra orders', 'main orders']);

    rmSync(join(main, 'orders.csv'));
    await waitFor(() => ingest!.applied().length === 3, 10_000, 'the delete record delivered');
    const deletion = ingest.applied()[2];
    expect(deletion?.contentType).toBe('application/json');
    expect(JSON.parse(deletion?.body.toString() ?? '')).toMatchObject({ op: 'delete', path: 'orders.csv' });
    expect(sourceStatus(engine)?.lastCaptureAt).toBeGreaterThan(0);

    // Restarted: nothing is sent again, and a file written meanwhile is caught up.
    await engine.stop(1000);
    writeFileSync(join(extra, 'late.csv'), 'late');
    writeFileSync(join(extra, 'late.csv.done'), '');
    engine = await start(join(dir, 'data'), source, ingest.url);
    await waitFor(() => ingest!.applied().length === 4, 10_000, 'the file written while stopped');
    await new Promise((r) => setTimeout(r, 500));
    expect(ingest.applied().map((a) => a.body.toString())).toHaveLength(4);
    expect(ingest.stats().duplicates).toBe(0);
  });

  it('shows a file over the size limit in the connection status, and delivers the rest', async () => {
    const dir = tempDir();
    const inbox = join(dir, 'in');
    mkdirSync(inbox);
    ingest = await startIngestServer();
    engine = await start(join(dir, 'data'), { path: inbox, quietPeriodMs: 100, maxFileBytes: 8 }, ingest.url);
    writeFileSync(join(inbox, 'huge.bin'), 'x'.repeat(64));
    writeFileSync(join(inbox, 'ok.txt'), 'ok');
    await waitFor(() => ingest!.applied().length === 1, 10_000, 'the small file');
    await waitFor(() => engine!.status().connections[0]?.health === 'attention', 5000, 'attention');
    expect(engine.status().connections[0]?.reason).toContain(
      'huge.bin: the file is 64 bytes, over the limit of 8 bytes',
    );
  });

  it('archives a file only after the server acknowledged it, through the engine delivery hook', async () => {
    const dir = tempDir();
    const inbox = join(dir, 'inbox');
    const archive = join(dir, 'archive');
    mkdirSync(inbox);
    let allow = false;
    ingest = await startIngestServer({ faults: () => (allow ? undefined : { kind: 'status', status: 503 }) });
    engine = await start(
      join(dir, 'data'),
      { path: inbox, quietPeriodMs: 100, afterDelivery: 'archive', archiveDir: archive },
      ingest.url,
    );
    writeFileSync(join(inbox, 'invoice-7.json'), '{"invoice":7}');
    await waitFor(() => (engine?.status().connections[0]?.pending ?? 0) === 1, 10_000, 'captured');
    await new Promise((r) => setTimeout(r, 300));
    expect(existsSync(join(inbox, 'invoice-7.json'))).toBe(true); // not acknowledged yet: left where it is
    allow = true;
    await waitFor(() => ingest!.applied().length === 1, 10_000, 'the delivery');
    await waitFor(() => existsSync(join(archive, 'invoice-7.json')), 10_000, 'the file in the archive');
    expect(ingest.applied()).toHaveLength(1);
    expect(readdirSync(inbox)).toEqual([]);
  });
});
