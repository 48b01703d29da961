// The contract handlers over a real Engine: connections added, paused, updated and removed at runtime, saved to the config file.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngineBackend } from '../../main/api/engine-backend.js';
import { createAgentHandlers, type AgentHandlers } from '../../main/api/agent-handlers.js';
import { loadConfigFile } from '../../main/config/load-config.js';
import { agentConfigSchema } from '../../main/config/schema.js';
import { Engine } from '../../main/engine/engine.js';
import type { SecretStore } from '../../main/secrets/secret-store.js';
import { waitFor } from '../support/agent-process.js';
import { startIngestServer, type IngestServer } from '../support/ingest.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir({ prefix: 'engine-control-' });
const running: { engine: Engine; ingest: IngestServer; close: () => void }[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) {
    r.close();
    await r.engine.stop(1000);
    await r.ingest.close();
  }
});

function memoryStore(): SecretStore {
  const values = new Map<string, string>();
  return {
    backend: 'file',
    description: 'test store',
    get: (name) => Promise.resolve(values.get(name)),
    set: (name, value) => Promise.resolve(void values.set(name, value)),
    delete: (name) => Promise.resolve(values.delete(name)),
    list: () => Promise.resolve([...values.keys()].sort()),
  };
}

const admin = { role: 'admin' as const, actor: 'test admin' };

/** [actor, action, target] of every audit entry, oldest first. */
function auditTrail(engine: Engine): [string, string, string | null][] {
  const rows = engine.outbox.db.prepare('SELECT actor, action, target FROM audit_log ORDER BY id').all() as {
    actor: string;
    action: string;
    target: string | null;
  }[];
  return rows.map((r) => [r.actor, r.action, r.target]);
}

/** An engine without connections, its config file in the data dir (or none: sandbox-like), and the handlers over it. */
async function start(options: { withConfigFile: boolean; authorize?: (authorization?: string) => boolean }) {
  const dataDir = join(tempDir(), 'data');
  mkdirSync(dataDir, { recursive: true });
  const configFile = join(dataDir, 'config.yaml');
  if (options.withConfigFile)
    writeFileSync(configFile, 'configVersion: 1\noutbox: { minFreeDiskBytes: 0 }\n');
  const config = agentConfigSchema.parse({ configVersion: 1, outbox: { minFreeDiskBytes: 0 } });
  const secretStore = memoryStore();
  const engine = await Engine.start({
    config,
    dataDir,
    logger: pino({ level: 'silent' }),
    version: 'test',
    secretStore,
    ...(options.withConfigFile ? { configFile } : {}),
  });
  const ingest = await startIngestServer(
    options.authorize ? { authorize: (a) => Promise.resolve(options.authorize!(a)) } : {},
  );
  const backend = createEngineBackend({
    engine,
    ...(options.withConfigFile ? { configFile } : {}),
    secretStore,
  });
  running.push({ engine, ingest, close: backend.close });
  const handlers = createAgentHandlers(backend, { validateResults: true });
  return { engine, ingest, handlers, dataDir, configFile, secretStore };
}

function folderToHttp(id: string, inbox: string, url: string, extra: Record<string, unknown> = {}) {
  mkdirSync(inbox, { recursive: true });
  return {
    id,
    source: { type: 'folder', path: inbox, quietPeriodMs: 100 },
    destination: { type: 'http', url, retry: { baseMs: 20, capMs: 200 }, ...extra },
  };
}

type View = { id: string; paused: boolean; status?: { health: string; source?: { state: string } } };
const call = <T>(h: AgentHandlers, method: string, args: unknown) =>
  h.call(method, args, admin) as Promise<T>;

describe('engine control through the contract', () => {
  it('adds a connection at runtime, delivers, pauses (kept in a file), resumes, updates and removes it', async () => {
    const { engine, ingest, handlers, configFile, dataDir } = await start({ withConfigFile: true });
    const inbox = join(tempDir(), 'inbox');
    const added = await call<View>(handlers, 'addConnection', {
      connection: folderToHttp('orders', inbox, `${ingest.url}/ingest/orders`),
    });
    expect(added.id).toBe('orders');
    expect((await loadConfigFile(configFile)).config.connections.map((c) => c.id)).toEqual(['orders']);

    writeFileSync(join(inbox, 'a.json'), '{"n":1}');
    await waitFor(() => ingest.applied().length === 1, 10_000, 'the first file delivered');

    const paused = await call<View>(handlers, 'pauseConnection', { id: 'orders' });
    expect(paused.paused).toBe(true);
    expect(paused.status?.health).toBe('stopped');
    expect(JSON.parse(readFileSync(join(dataDir, 'paused-connections.json'), 'utf8'))).toEqual({
      paused: ['orders'],
    });
    writeFileSync(join(inbox, 'b.json'), '{"n":2}');
    await new Promise((r) => setTimeout(r, 800));
    expect(ingest.applied()).toHaveLength(1);

    const resumed = await call<View>(handlers, 'resumeConnection', { id: 'orders' });
    expect(resumed.paused).toBe(false);
    await waitFor(() => ingest.applied().length === 2, 10_000, 'the file captured after resume');

    await call(handlers, 'updateConnection', {
      id: 'orders',
      connection: { ...folderToHttp('orders', inbox, `${ingest.url}/ingest/orders-v2`), name: 'Orders v2' },
    });
    const onDisk = (await loadConfigFile(configFile)).config.connections;
    const urlOf = (d: (typeof onDisk)[number]['destination']) => (d.type === 'http' ? d.url : undefined);
    expect(onDisk.map((c) => [c.id, c.name, urlOf(c.destination)])).toEqual([
      ['orders', 'Orders v2', `${ingest.url}/ingest/orders-v2`],
    ]);
    writeFileSync(join(inbox, 'c.json'), '{"n":3}');
    await waitFor(() => ingest.applied().length === 3, 10_000, 'delivery to the updated URL');
    expect(ingest.applied()[2]?.path).toBe('/ingest/orders-v2');

    const removed = await call<{ id: string }>(handlers, 'removeConnection', { id: 'orders' });
    expect(removed.id).toBe('orders');
    expect((await loadConfigFile(configFile)).config.connections).toEqual([]);
    const list = await call<{ connections: View[] }>(handlers, 'listConnections', {});
    expect(list.connections).toEqual([]);
    expect(
      await handlers.call('getConnection', { id: 'orders' }, admin).catch((e: { code: string }) => e.code),
    ).toBe('not-found');
    // its history stays searchable
    const found = await call<{ records: unknown[] }>(handlers, 'searchRecords', { query: 'a.json' });
    expect(found.records).toHaveLength(1);
    // Every admin change is in the audit log, with who did it.
    expect(auditTrail(engine)).toEqual([
      ['test admin', 'connection.add', 'orders'],
      ['test admin', 'connection.pause', 'orders'],
      ['test admin', 'connection.resume', 'orders'],
      ['test admin', 'connection.update', 'orders'],
      ['test admin', 'connection.remove', 'orders'],
    ]);
  });

  it('refuses an invalid connection with the config problem and leaves the file alone; refuses a duplicate id', async () => {
    const { ingest, handlers, configFile } = await start({ withConfigFile: true });
    const before = readFileSync(configFile, 'utf8');
    const bad = folderToHttp('bad', join(tempDir(), 'in'), 'ftp://nowhere');
    const error = (await handlers
      .call('addConnection', { connection: bad }, admin)
      .catch((e: unknown) => e)) as {
      code: string;
      message: string;
    };
    expect(error.code).toBe('invalid-argument');
    expect(error.message).toContain('destination.url');
    expect(readFileSync(configFile, 'utf8')).toBe(before);
    const good = folderToHttp('good', join(tempDir(), 'in'), `${ingest.url}/ingest/good`);
    await handlers.call('addConnection', { connection: good }, admin);
    const again = (await handlers
      .call('addConnection', { connection: good }, admin)
      .catch((e: unknown) => e)) as {
      code: string;
    };
    expect(again.code).toBe('conflict');
  });

  it('creates config.yaml in the data dir when the agent ran without a config file', async () => {
    const { ingest, handlers, configFile } = await start({ withConfigFile: false });
    expect(existsSync(configFile)).toBe(false);
    await handlers.call(
      'addConnection',
      { connection: folderToHttp('first', join(tempDir(), 'in'), `${ingest.url}/ingest/first`) },
      admin,
    );
    expect((await loadConfigFile(configFile)).config.connections.map((c) => c.id)).toEqual(['first']);
    const settings = (await handlers.call('getSettings', {}, admin)) as { configFile: string };
    expect(settings.configFile).toBe(configFile);
  });

  it('replays a dead letter with its key once the cause is fixed', async () => {
    const { engine, ingest, handlers } = await start({ withConfigFile: true });
    ingest.setFaults(() => ({ kind: 'status', status: 400, body: '{"error":"unknown customer"}' }));
    const inbox = join(tempDir(), 'inbox');
    await handlers.call(
      'addConnection',
      { connection: folderToHttp('dl', inbox, `${ingest.url}/ingest/dl`) },
      admin,
    );
    writeFileSync(join(inbox, 'x.json'), '{}');
    await waitFor(() => engine.status().outbox.dead === 1, 10_000, 'a dead letter');
    const dead = (await handlers.call('listDeadLetters', { connection: 'dl' }, admin)) as {
      records: { id: number; idempotencyKey: string; lastError: string }[];
    };
    expect(dead.records[0]?.lastError).toContain('unknown customer');
    const timeline = (await handlers.call('recordTimeline', { id: dead.records[0]!.id }, admin)) as {
      events: { kind: string }[];
    };
    expect(timeline.events.map((e) => e.kind)).toContain('dead');
    ingest.setFaults(undefined);
    expect(await handlers.call('replayDeadLetters', { ids: [dead.records[0]!.id, 999] }, admin)).toEqual({
      done: [dead.records[0]!.id],
      skipped: [999],
    });
    await waitFor(() => ingest.applied().length === 1, 10_000, 'the replayed record delivered');
    expect(ingest.applied()[0]?.key).toBe(dead.records[0]!.idempotencyKey);
  });

  it('stores secrets without ever returning their values; settings changes land in the file and still validate', async () => {
    const secret = 'Sup3r-Secret-Token-Value-4711';
    const seen: (string | undefined)[] = [];
    const { engine, ingest, handlers, configFile, secretStore } = await start({
      withConfigFile: true,
      authorize: (authorization) => {
        seen.push(authorization);
        return authorization === `Bearer ${secret}`;
      },
    });
    expect(await handlers.call('setSecret', { name: 'api-token', value: secret }, admin)).toEqual({
      name: 'api-token',
      replaced: false,
    });
    expect(await secretStore.get('api-token')).toBe(secret);
    const inbox = join(tempDir(), 'inbox');
    await handlers.call(
      'addConnection',
      {
        connection: folderToHttp('auth', inbox, `${ingest.url}/ingest/auth`, {
          auth: { type: 'bearer', token: { secretRef: 'api-token' } },
        }),
      },
      admin,
    );
    writeFileSync(join(inbox, 'z.json'), '{}');
    await waitFor(() => ingest.applied().length === 1, 10_000, 'delivery with the stored token');
    expect(seen).toEqual([`Bearer ${secret}`]);

    const settings = await handlers.call(
      'updateSettings',
      {
        logLevel: 'debug',
        limits: { maxPendingRecords: 5000 },
        network: { sendingWindows: { windows: [{ from: '00:00', to: '24:00' }] } },
      },
      admin,
    );
    expect(settings).toMatchObject({ logLevel: 'debug', limits: { maxPendingRecords: 5000 } });
    const onDisk = (await loadConfigFile(configFile)).config;
    expect(onDisk.outbox.maxPendingRecords).toBe(5000);
    const trail = auditTrail(engine);
    expect(trail).toContainEqual(['test admin', 'secret.set', 'api-token']);
    expect(trail).toContainEqual(['test admin', 'settings.update', null]);
    expect(JSON.stringify(engine.outbox.db.prepare('SELECT * FROM audit_log').all())).not.toContain(secret);
    expect(onDisk.connections[0]?.destination.sendingWindows?.windows).toHaveLength(1);

    const results = await Promise.all(
      ['status', 'listConnections', 'listSecretNames', 'getSettings', 'recentLogs', 'throughput'].map((m) =>
        handlers.call(m, {}, admin).catch((e: unknown) => e),
      ),
    );
    results.push(await handlers.call('getConnection', { id: 'auth' }, admin));
    results.push(await handlers.call('searchRecords', { query: 'z.json' }, admin));
    expect(JSON.stringify(results)).not.toContain(secret);
    expect(results[2]).toEqual({ names: ['api-token'], store: 'test store' });
    expect(readFileSync(configFile, 'utf8')).not.toContain(secret);
    expect(await handlers.call('deleteSecret', { name: 'api-token' }, admin)).toEqual({
      name: 'api-token',
      deleted: true,
    });
  });

  it('lists the audit log to viewers, newest first and paged, with names but never secret values', async () => {
    const { ingest, handlers } = await start({ withConfigFile: true });
    const secret = 's3cr3t-audit-value';
    const viewer = { role: 'viewer' as const };
    await handlers.call('setSecret', { name: 'erp-token', value: secret }, admin);
    await handlers.call(
      'addConnection',
      { connection: folderToHttp('audited', join(tempDir(), 'in'), `${ingest.url}/ingest/a`) },
      admin,
    );
    await handlers.call('pauseConnection', { id: 'audited' }, admin);
    await handlers.call('updateSettings', { logLevel: 'debug' }, admin);
    type Page = {
      entries: {
        id: number;
        actor: string;
        action: string;
        target: string | null;
        detail: string | null;
        at: number;
      }[];
      nextBeforeId?: number;
    };
    const first = (await handlers.call('listAuditLog', { limit: 3 }, viewer)) as Page;
    expect(first.entries.map((e) => [e.actor, e.action, e.target])).toEqual([
      ['test admin', 'settings.update', null],
      ['test admin', 'connection.pause', 'audited'],
      ['test admin', 'connection.add', 'audited'],
    ]);
    expect(first.entries[0]?.detail).toBe('{"changed":["logLevel"]}');
    expect(first.entries[0]?.at).toBeGreaterThan(0);
    expect(first.nextBeforeId).toBe(first.entries[2]?.id);
    const second = (await handlers.call(
      'listAuditLog',
      { beforeId: first.nextBeforeId, limit: 3 },
      viewer,
    )) as Page;
    expect(second.entries.map((e) => [e.action, e.target])).toEqual([['secret.set', 'erp-token']]);
    expect(second.nextBeforeId).toBeUndefined();
    expect(JSON.stringify([first, second])).not.toContain(secret);
    for (const bad of [{ limit: 0 }, { limit: 201 }, { beforeId: -1 }, { beforeId: 1.5 }, { action: 'x' }]) {
      await expect(handlers.call('listAuditLog', bad, viewer)).rejects.toMatchObject({
        code: 'invalid-argument',
      });
    }
  });
});
