// Outbox encryption through the engine: payloads sealed at rest, delivered in clear, data keys in the secret store.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataKeySecretName } from '../../main/outbox/data-keys.js';
import { isSealed } from '../../main/outbox/payload-codec.js';
import { openSecretStore } from '../../main/secrets/open-secret-store.js';
import { waitFor } from '../support/agent-process.js';
import { useEngineHarness } from '../support/engine-harness.js';

const h = useEngineHarness('outbox-encryption-');

describe('outbox.encryption.enabled', () => {
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
    const stored = engine.outbox.db.prepare('SELECT payload FROM records').pluck().all() as (Buffer | null)[];
    expect(stored).toHaveLength(1);
    expect(isSealed(stored[0]!)).toBe(true);
    expect(stored[0]!.toString('latin1')).not.toContain('INV-42');
    const store = await openSecretStore(secrets, dataDir);
    expect(await store.list()).toContain(dataKeySecretName('it'));
  });
});
