// Outbox payloads at rest: AES-256-GCM under per-connection data keys in the secret store; rotation; a lost key is loud.
import { describe, expect, it } from 'vitest';
import { DataKeys, dataKeySecretName } from '../../../main/outbox/data-keys.js';
import { isSealed, PayloadKeyError } from '../../../main/outbox/payload-codec.js';
import { rotateDataKey } from '../../../main/outbox/reencrypt.js';
import type { SecretStore } from '../../../main/secrets/secret-store.js';
import { batch, bigLease, change, outboxHarness } from './outbox-fixture.js';

function memoryStore(): SecretStore & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return {
    values,
    backend: 'file',
    description: 'memory store',
    get: (name) => Promise.resolve(values.get(name)),
    set: (name, value) => Promise.resolve(void values.set(name, value)),
    delete: (name) => Promise.resolve(values.delete(name)),
    list: () => Promise.resolve([...values.keys()].sort()),
  };
}

const h = outboxHarness();
const storedPayloads = (outbox: ReturnType<typeof h.setup>['outbox']) =>
  (
    outbox.db.prepare('SELECT payload FROM record_payloads ORDER BY record_id').all() as { payload: Buffer }[]
  ).map((r) => r.payload);

describe('outbox payload encryption', () => {
  it('stores ciphertext, leases plaintext; the key lives in the secret store; older plain records stay readable', async () => {
    const { outbox } = h.setup();
    outbox.enqueue('conn-a', batch([change('plain-before')]));
    const store = memoryStore();
    const keys = new DataKeys(store);
    await keys.ensure('conn-a');
    outbox.useEncryption(keys);
    outbox.enqueue(
      'conn-a',
      batch([change('k1', { orderingKey: 'o1', payload: Buffer.from('{"secret":"pay me"}') })]),
    );
    const [plain, sealed] = storedPayloads(outbox);
    expect(isSealed(plain!)).toBe(false);
    expect(isSealed(sealed!)).toBe(true);
    expect(sealed!.toString('latin1')).not.toContain('pay me');
    expect(JSON.parse(store.values.get(dataKeySecretName('conn-a'))!)).toMatchObject({
      current: expect.any(String),
    });
    const lease = outbox.lease({ connection: 'conn-a', ...bigLease });
    expect(lease.records.map((r) => r.payload.toString())).toEqual([
      JSON.stringify({ idempotencyKey: 'plain-before' }),
      '{"secret":"pay me"}',
    ]);
  });

  it('a payload moved to another connection, or altered, does not decrypt', async () => {
    const keys = new DataKeys(memoryStore());
    await keys.ensure('a');
    await keys.ensure('b');
    const sealed = keys.seal('a', Buffer.from('x'));
    expect(() => keys.open('b', sealed)).toThrow(PayloadKeyError);
    const altered = Buffer.from(sealed);
    altered[altered.length - 1]! ^= 1;
    expect(() => keys.open('a', altered)).toThrow(/does not decrypt with data key/);
  });

  it('a lost key is a clear error naming the connection and the fix; the records stay in the outbox', async () => {
    const { outbox } = h.setup();
    const store = memoryStore();
    const keys = new DataKeys(store);
    await keys.ensure('conn-a');
    outbox.useEncryption(keys);
    outbox.enqueue('conn-a', batch([change('k1')]));
    store.values.delete(dataKeySecretName('conn-a')); // the key is lost (new keychain, deleted secret)
    const restarted = new DataKeys(store);
    await restarted.ensure('conn-a'); // a fresh key: new records go on, old ones cannot be read
    outbox.useEncryption(restarted);
    expect(() => outbox.lease({ connection: 'conn-a', ...bigLease })).toThrow(
      /records of connection conn-a are encrypted with data key k[0-9a-f]{8}, which is not in the secret store\. The records stay in the outbox, unsent\. Fix: restore the secret outbox-key\.conn-a in the memory store/,
    );
    expect(outbox.db.prepare('SELECT count(*) FROM records').pluck().get()).toBe(1);
  });

  it('rotation re-seals every stored payload under the new key, then drops the old key', async () => {
    const { outbox } = h.setup();
    const store = memoryStore();
    const keys = new DataKeys(store);
    await keys.ensure('conn-a');
    outbox.enqueue('conn-a', batch([change('plain', { orderingKey: 'p' })]));
    outbox.useEncryption(keys);
    const old = keys.currentKeyId('conn-a');
    outbox.enqueue(
      'conn-a',
      batch(Array.from({ length: 7 }, (_, i) => change(`k${i}`, { orderingKey: `o${i}` }))),
    );
    const result = await rotateDataKey(outbox.db, keys, 'conn-a', 3);
    expect(result.rewritten).toBe(8);
    expect(result.keyId).not.toBe(old);
    const stored = JSON.parse(store.values.get(dataKeySecretName('conn-a'))!) as {
      keys: Record<string, string>;
    };
    expect(Object.keys(stored.keys)).toEqual([result.keyId]);
    expect(storedPayloads(outbox).every((p) => isSealed(p) && !keys.isStale('conn-a', p))).toBe(true);
    const reloaded = new DataKeys(store);
    await reloaded.ensure('conn-a');
    outbox.useEncryption(reloaded);
    expect(outbox.lease({ connection: 'conn-a', ...bigLease }).records).toHaveLength(8);
  });

  it("a receiver's answer is sealed with the attempt, opened for admins only, and re-sealed by rotation", async () => {
    const { outbox } = h.setup();
    const keys = new DataKeys(memoryStore());
    await keys.ensure('conn-a');
    outbox.useEncryption(keys);
    outbox.enqueue('conn-a', batch([change('k1')]));
    const lease = outbox.lease({ connection: 'conn-a', ...bigLease });
    const body = '{"echo":"Jane Doe, DE89 3704"}';
    const { result, sealedAnswer } = outbox.answerAtRest('conn-a', {
      kind: 'dead',
      error: `HTTP 422: the server refused the record as invalid: ${body}`,
      errorWithoutAnswer: 'HTTP 422: the server refused the record as invalid',
      code: 'HTTP 422',
      response: { code: 'HTTP 422', details: {}, excerpt: body },
      latencyMs: 5,
    });
    expect(JSON.stringify(result)).not.toContain('Jane Doe');
    const id = lease.records[0]!.id;
    const error = result.kind === 'dead' ? result.error : '';
    outbox.settle(lease.token, [{ id, kind: 'dead', error, code: 'HTTP 422', sealedAnswer, latencyMs: 5 }]);
    const dead = (open: boolean) =>
      outbox.timeline(id, { openAnswers: open })?.events.find((e) => e.kind === 'dead');
    expect(JSON.stringify(dead(false))).not.toContain('Jane Doe');
    expect(dead(false)?.detail).toMatchObject({
      answer: 'stored encrypted; an admin sees it on this timeline',
    });
    const before = keys.currentKeyId('conn-a');
    await rotateDataKey(outbox.db, keys, 'conn-a');
    expect(keys.currentKeyId('conn-a')).not.toBe(before); // the old key is gone: the answer opens under the new one
    expect(dead(true)?.detail).toMatchObject({
      error: `HTTP 422: the server refused the record as invalid: ${body}`,
      response: { excerpt: body },
    });
    expect(outbox.db.prepare('SELECT detail FROM record_events').pluck().all().join()).not.toContain(
      'Jane Doe',
    );
  });

  it('re-mapping a sealed dead letter: the mapping gets the opened source row, the new payload is stored sealed; a key lost or encryption off refuses it, unchanged', async () => {
    const { outbox } = h.setup();
    const store = memoryStore();
    const keys = new DataKeys(store);
    await keys.ensure('conn-a');
    outbox.useEncryption(keys);
    const source = '{"Nr":"A-1","Betrag":"1.234,56"}';
    const rejected = change('k1', {
      payload: Buffer.from(source),
      origin: { mappingVersion: 1 },
      rejected: { reason: 'mapping v1: Betrag is not a number' },
    });
    outbox.enqueue('conn-a', batch([rejected]));
    const [stored] = storedPayloads(outbox);
    const select = (o: typeof outbox) => o.remapSelection('conn-a', { afterId: 0, limit: 10 });

    const withoutCodec = h.open(h.file());
    expect(select(withoutCodec)).toMatchObject({
      candidates: [],
      refused: [{ reason: expect.stringContaining('set outbox.encryption.enabled: true again') as unknown }],
    });
    const lostKey = h.open(h.file());
    const fresh = new DataKeys(memoryStore());
    await fresh.ensure('conn-a');
    lostKey.useEncryption(fresh);
    expect(select(lostKey).refused[0]?.reason).toMatch(
      /^record \d+: records of connection conn-a are encrypted with data key k[0-9a-f]{8}, which is not in the secret store\. .*restore the secret outbox-key\.conn-a/,
    );
    expect(storedPayloads(outbox)).toEqual([stored]);

    const selection = select(outbox);
    expect(selection.candidates.map((c) => c.payload.toString())).toEqual([source]);
    const mapped = '{"no":"A-1","amount":1234.56}';
    const id = selection.candidates[0]!.id;
    expect(
      outbox.applyRemap('conn-a', [{ id, kind: 'mapped', payload: Buffer.from(mapped), version: 2 }], 'test'),
    ).toMatchObject({ remapped: [id] });
    const [resealed] = storedPayloads(outbox);
    expect(isSealed(resealed!)).toBe(true);
    expect(resealed!.toString('latin1')).not.toContain('amount');
    expect(
      outbox.lease({ connection: 'conn-a', ...bigLease }).records.map((r) => r.payload.toString()),
    ).toEqual([mapped]);
  });

  it('DataKeys.load reads an existing key and never creates one: a missing or unreadable secret names it and the fix', async () => {
    const store = memoryStore();
    const missing = new DataKeys(store).load('conn-a');
    await expect(missing).rejects.toThrow(PayloadKeyError);
    await expect(missing).rejects.toThrow(
      'the outbox data key of connection conn-a (secret outbox-key.conn-a) is not in the memory store. Fix: restore it from its backup (`integration-agent secrets set outbox-key.conn-a < backup`)',
    );
    expect(store.values.size).toBe(0);
    store.values.set(dataKeySecretName('conn-a'), 'not json');
    await expect(new DataKeys(store).load('conn-a')).rejects.toThrow(
      'the secret outbox-key.conn-a in the memory store is not a set of outbox data keys of connection conn-a. Fix:',
    );
    const created = new DataKeys(store);
    store.values.delete(dataKeySecretName('conn-a'));
    await created.ensure('conn-a');
    const loaded = new DataKeys(store);
    await loaded.load('conn-a');
    expect(loaded.open('conn-a', created.seal('conn-a', Buffer.from('x'))).toString()).toBe('x');
  });
});
