// Outbox encryption through the engine: payloads sealed at rest, delivered in clear, data keys in the secret store.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAgentHandlers } from '../../main/api/agent-handlers.js';
import { createEngineBackend } from '../../main/api/engine-backend.js';
import { dataKeySecretName } from '../../main/outbox/data-keys.js';
import { isSealed, sealedKeyId } from '../../main/outbox/payload-codec.js';
import { createLogger } from '../../main/observability/logger.js';
import { openSecretStore } from '../../main/secrets/open-secret-store.js';
import { logDir, outboxFile, statusFile } from '../../main/shared/data-dir.js';
import { waitFor } from '../support/agent-process.js';
import { connectionOf, useEngineHarness, waitForStatus } from '../support/engine-harness.js';

const h = useEngineHarness('outbox-encryption-');

/**
 * One record captured and stored sealed by an engine with encryption on while the API answers 503, then that engine
 * stopped: the record waits in the outbox. Returns what the next engine needs (encryption left to the caller).
 */
async function oneSealedRecordWaiting(body: string) {
  const { dataDir, inbox } = h.paths();
  const keyFile = join(dataDir, '..', 'secrets.key');
  writeFileSync(keyFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  const ingest = await h.ingest({ faults: () => ({ kind: 'status', status: 503 }) });
  const secrets = { backend: 'file' as const, keyFile };
  const options = { dataDir, inbox, url: ingest.url, secrets };
  const first = await h.engine({ ...options, outbox: { encryption: { enabled: true } } });
  writeFileSync(join(inbox, 'invoice.json'), body);
  await waitFor(() => first.outbox.counts('it').pending === 1, 15_000, 'the record stored, sealed');
  await first.stop(1000);
  return { ingest, secrets, dataDir, options };
}

/** What the API answers: a 422 whose body echoes personal data, found again by its marker. */
const marker = 'MARKER-jane.doe-DE89370400440532013000';
const refusal = {
  kind: 'status' as const,
  status: 422,
  body: JSON.stringify({ error: 'invalid', echo: marker }),
};

/**
 * One record sent to an API that refuses it with `refusal`, by an engine logging to its data dir, until the record is
 * dead, status.json names the 422 and the log has the dead-letter line. Returns the engine and how to read its files.
 */
async function oneRecordRefused(encrypted: boolean) {
  const { dataDir, inbox } = h.paths();
  const keyFile = join(dataDir, '..', 'secrets.key');
  writeFileSync(keyFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  const ingest = await h.ingest({ faults: () => refusal });
  const logger = createLogger({
    dataDir,
    level: 'info',
    maxFileBytes: 1_000_000,
    maxFiles: 2,
    stdout: false,
  });
  const engine = await h.engine({
    dataDir,
    inbox,
    url: ingest.url,
    logger,
    secrets: { backend: 'file', keyFile },
    outbox: { encryption: { enabled: encrypted } },
  });
  writeFileSync(join(inbox, 'invoice.json'), '{"invoice":"INV-9"}');
  await waitFor(() => engine.outbox.counts('it').dead === 1, 15_000, 'the refused record dead-lettered');
  const logs = () =>
    readdirSync(logDir(dataDir))
      .map((name) => readFileSync(join(logDir(dataDir), name)).toString('latin1'))
      .join('\n');
  const status = () => (existsSync(statusFile(dataDir)) ? readFileSync(statusFile(dataDir), 'utf8') : '');
  await waitFor(() => status().includes('HTTP 422'), 15_000, 'status.json with the 422');
  await waitFor(() => logs().includes('dead-lettered'), 15_000, 'the dead-letter line in the log');
  const outboxBytes = () =>
    [outboxFile(dataDir), `${outboxFile(dataDir)}-wal`]
      .filter((file) => existsSync(file))
      .map((file) => readFileSync(file).toString('latin1'))
      .join('\n');
  const id = engine.outbox.deadLetters({ connection: 'it', limit: 1 })[0]!.id;
  const backend = createEngineBackend({ engine });
  const handlers = createAgentHandlers(backend, { validateResults: true });
  const timeline = async (role: 'admin' | 'viewer') =>
    (await handlers.call('recordTimeline', { id }, { role, actor: `test ${role}` })) as RecordTimeline;
  return { engine, backend, timeline, status, logs, outboxBytes };
}

interface RecordTimeline {
  events: { kind: string; detail: Record<string, unknown> | null }[];
}

const deadEvent = (timeline: RecordTimeline) => timeline.events.find((e) => e.kind === 'dead')?.detail;

describe('outbox.encryption.enabled', () => {
  it('the API answer of a refused record: only the verdict in clear (outbox file, WAL, status.json, log), the answer sealed and opened for admins', async () => {
    const { engine, backend, timeline, status, logs, outboxBytes } = await oneRecordRefused(true);
    const verdict =
      'HTTP 422: the server refused the record as invalid; its answer is stored encrypted with the record (open its timeline as admin)';
    expect(engine.outbox.deadLetters({ connection: 'it', limit: 1 })[0]?.lastError).toBe(verdict);
    expect(status()).toContain(verdict);
    expect(status()).not.toContain(marker);
    expect(logs()).toContain('HTTP 422: the server refused the record as invalid');
    expect(logs()).not.toContain(marker);
    expect(outboxBytes()).toContain('refused the record as invalid');
    expect(outboxBytes()).not.toContain(marker);

    const viewer = await timeline('viewer');
    expect(JSON.stringify(viewer)).not.toContain(marker);
    expect(deadEvent(viewer)).toMatchObject({
      error: verdict,
      answer: expect.stringContaining('stored encrypted') as unknown,
    });
    const admin = await timeline('admin');
    expect(deadEvent(admin)).toMatchObject({
      error: `HTTP 422: the server refused the record as invalid: ${refusal.body}`,
      response: { code: 'HTTP 422', excerpt: refusal.body },
    });
    backend.close();

    await engine.stop(1000); // the WAL checkpointed into the file: still no answer in clear
    expect(outboxBytes()).not.toContain(marker);
    expect(logs()).not.toContain(marker);
  });

  it('with encryption off the refused record keeps the API answer in its last error and timeline, as before', async () => {
    const { engine, backend, timeline, status } = await oneRecordRefused(false);
    expect(engine.outbox.deadLetters({ connection: 'it', limit: 1 })[0]?.lastError).toBe(
      `HTTP 422: the server refused the record as invalid: ${refusal.body}`,
    );
    expect(status()).toContain(marker);
    expect(deadEvent(await timeline('viewer'))).toMatchObject({
      response: { code: 'HTTP 422', excerpt: refusal.body },
    });
    backend.close();
  });

  it('stores sealed payloads, delivers the plain ones, and keeps the data key in the configured secret store', async () => {
    const { dataDir, inbox } = h.paths();
    const keyFile = join(dataDir, '..', 'secrets.key');
    writeFileSync(keyFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    const ingest = await h.ingest();
    const secrets = { backend: 'file' as const, keyFile };
    const engine = await h.engine({
      dataDir,
      inbox,
      url: ingest.url,
      secrets,
      outbox: { encryption: { enabled: true } },
    });
    writeFileSync(join(inbox, 'invoice.json'), '{"invoice":"INV-42","iban":"DE89 3704"}');
    await waitFor(() => ingest.applied().length === 1, 15_000, 'delivery of the encrypted record');
    expect(ingest.applied()[0]?.body.toString()).toBe('{"invoice":"INV-42","iban":"DE89 3704"}');
    const stored = engine.outbox.db
      .prepare('SELECT payload FROM record_payloads')
      .pluck()
      .all() as (Buffer | null)[];
    expect(stored).toHaveLength(1);
    expect(isSealed(stored[0]!)).toBe(true);
    expect(stored[0]!.toString('latin1')).not.toContain('INV-42');
    const store = await openSecretStore(secrets, dataDir);
    expect(await store.list()).toContain(dataKeySecretName('it'));
  });

  it('rotateDataKey (admin): re-encrypts the stored payloads under a new key in the background and audits it', async () => {
    const { dataDir, inbox } = h.paths();
    const keyFile = join(dataDir, '..', 'secrets.key');
    writeFileSync(keyFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    const ingest = await h.ingest();
    ingest.setFaults(() => ({ kind: 'status', status: 503 })); // keep the records in the outbox
    const secrets = { backend: 'file' as const, keyFile };
    const engine = await h.engine({
      dataDir,
      inbox,
      url: ingest.url,
      secrets,
      outbox: { encryption: { enabled: true } },
    });
    for (const n of [1, 2, 3]) writeFileSync(join(inbox, `r${n}.json`), `{"n":${n}}`);
    await waitFor(() => engine.outbox.counts('it').pending === 3, 15_000, 'three records captured');
    const keyIds = () =>
      (engine.outbox.db.prepare('SELECT payload FROM record_payloads').pluck().all() as Buffer[]).map(
        sealedKeyId,
      );
    const before = keyIds()[0];
    const backend = createEngineBackend({ engine });
    const handlers = createAgentHandlers(backend, { validateResults: true });
    await expect(
      handlers.call('rotateDataKey', { connection: 'it' }, { role: 'viewer' }),
    ).rejects.toMatchObject({
      code: 'forbidden',
    });
    expect(
      await handlers.call('rotateDataKey', { connection: 'it' }, { role: 'admin', actor: 'test admin' }),
    ).toEqual({
      connection: 'it',
      started: true,
    });
    await waitFor(() => engine.outbox.audit.recent('data-key.rotated').length === 1, 15_000, 'rotation done');
    const after = engine.dataKeys!.currentKeyId('it');
    expect(after).not.toBe(before);
    expect(keyIds()).toEqual([after, after, after]);
    expect(engine.outbox.audit.recent('data-key.rotate')[0]).toMatchObject({
      actor: 'test admin',
      target: 'it',
    });
    const stored = JSON.parse(
      (await (await openSecretStore(secrets, dataDir)).get(dataKeySecretName('it')))!,
    ) as {
      keys: Record<string, string>;
    };
    expect(Object.keys(stored.keys)).toEqual([after]);
    ingest.setFaults(undefined);
    await waitFor(() => ingest.applied().length === 3, 15_000, 'delivery after rotation');
    backend.close();
  });

  it('rotateDataKey with encryption off says how to turn it on', async () => {
    const { dataDir, inbox } = h.paths();
    const ingest = await h.ingest();
    const engine = await h.engine({ dataDir, inbox, url: ingest.url });
    const backend = createEngineBackend({ engine });
    await expect(
      createAgentHandlers(backend).call('rotateDataKey', { connection: 'it' }, { role: 'admin' }),
    ).rejects.toMatchObject({
      code: 'unavailable',
      hint: expect.stringContaining('outbox.encryption.enabled') as unknown,
    });
    backend.close();
  });

  it('a lost data key: the records stay, unsent, and status says which secret to restore', async () => {
    const { ingest, secrets, dataDir, options } = await oneSealedRecordWaiting('{"invoice":"INV-7"}');
    const store = await openSecretStore(secrets, dataDir);
    expect(await store.delete(dataKeySecretName('it'))).toBe(true);

    ingest.setFaults(undefined);
    const second = await h.engine({ ...options, outbox: { encryption: { enabled: true } } });
    await waitForStatus(
      second,
      (s) => /cannot read the stored records/.test(connectionOf(s).destination?.detail ?? ''),
      'the lost key in status',
    );
    expect(connectionOf(second.status()).destination?.detail).toContain(
      `restore the secret ${dataKeySecretName('it')}`,
    );
    await new Promise((r) => setTimeout(r, 1500));
    // Still said while the record is held by the failed lease (it used to turn "idle" a second later).
    expect(connectionOf(second.status()).destination?.detail).toContain('cannot read the stored records');
    expect(ingest.applied()).toHaveLength(0); // nothing sent in clear or as ciphertext
    expect(second.outbox.counts('it').pending).toBe(1); // and nothing lost
  });

  it('encryption turned off with sealed records waiting: nothing is sent as ciphertext, status says to turn it on', async () => {
    const { ingest, options } = await oneSealedRecordWaiting('{"invoice":"INV-8"}');
    ingest.setFaults(undefined);
    const second = await h.engine({ ...options, outbox: { encryption: { enabled: false } } });
    await waitForStatus(
      second,
      (s) => /cannot read the stored records/.test(connectionOf(s).destination?.detail ?? ''),
      'the sealed records refused in status',
    );
    expect(connectionOf(second.status()).destination?.detail).toContain(
      'set outbox.encryption.enabled: true again',
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect(ingest.applied()).toHaveLength(0); // no ciphertext reached the API
    expect(second.outbox.counts('it').pending).toBe(1); // and nothing lost
    await second.stop(1000);

    const third = await h.engine({ ...options, outbox: { encryption: { enabled: true } } });
    await waitFor(() => ingest.applied().length === 1, 15_000, 'delivery once encryption is on again');
    expect(ingest.applied()[0]?.body.toString()).toBe('{"invoice":"INV-8"}');
    expect(third.outbox.counts('it').pending).toBe(0);
  });
});
