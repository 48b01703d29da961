// `integration-agent outbox rotate-key` with the agent stopped: a new key, the stored payloads re-sealed, the old key gone.
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { CliError } from '../../main/commands/cli-error.js';
import { outboxRotateKeyCommand } from '../../main/commands/outbox-rotate-key-command.js';
import { acquireInstanceLock } from '../../main/engine/instance-lock.js';
import { dataKeySecretName } from '../../main/outbox/data-keys.js';
import { isSealed } from '../../main/outbox/payload-codec.js';
import { openSecretStore } from '../../main/secrets/open-secret-store.js';
import { outboxFile } from '../../main/shared/data-dir.js';
import { waitFor } from '../support/agent-process.js';
import { connectionOf, useEngineHarness, waitForStatus } from '../support/engine-harness.js';
import { fileSecrets } from '../support/file-secrets.js';

const h = useEngineHarness('rotate-key-');

async function rotate(connection: string, options: Parameters<typeof outboxRotateKeyCommand>[1]) {
  const out: string[] = [];
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((text) => out.push(String(text)) > 0);
  try {
    await outboxRotateKeyCommand(connection, options);
    return out.join('');
  } finally {
    stdout.mockRestore();
  }
}

describe('outbox rotate-key', () => {
  it('re-seals the waiting payloads under a new key and removes the old one; refused while an agent holds the data dir or with encryption off', async () => {
    const { dataDir, inbox } = h.paths();
    const secrets = fileSecrets(dirname(dataDir));
    const ingest = await h.ingest();
    const base = { dataDir, inbox, url: ingest.url, secrets };
    // The API is down: the records wait in the outbox, sealed under the first key.
    ingest.setFaults(() => ({ kind: 'status', status: 503 }));
    const first = await h.engine({ ...base, outbox: { encryption: { enabled: true } } });
    for (const n of [1, 2, 3]) writeFileSync(join(inbox, `r${n}.json`), `{"invoice":${n}}`);
    await waitForStatus(first, (s) => connectionOf(s).pending === 3, 'three records waiting');
    await first.stop(1000);

    const config = (encryption: boolean) => {
      const file = join(dataDir, `agent-${encryption}.json`);
      writeFileSync(
        file,
        JSON.stringify({
          configVersion: 1,
          secrets,
          outbox: { encryption: { enabled: encryption } },
          connections: [
            {
              id: 'it',
              source: { type: 'folder', path: inbox },
              destination: { type: 'http', url: ingest.url },
            },
          ],
        }),
      );
      return { config: file, dataDir };
    };
    const store = await openSecretStore(secrets, dataDir);
    const before = await store.get(dataKeySecretName('it'));
    const payloads = () => {
      const db = new Database(outboxFile(dataDir), { readonly: true });
      try {
        return db.prepare('SELECT payload FROM record_payloads ORDER BY record_id').pluck().all() as Buffer[];
      } finally {
        db.close();
      }
    };
    const sealedBefore = payloads();

    await expect(rotate('it', config(false))).rejects.toThrow(/^outbox encryption is off/);
    const lock = acquireInstanceLock(dataDir);
    try {
      const refused = rotate('it', config(true));
      await expect(refused).rejects.toBeInstanceOf(CliError);
      await expect(refused).rejects.toThrow(/^the agent is running on .*: nothing was changed/);
    } finally {
      lock.release();
    }
    expect(await store.get(dataKeySecretName('it'))).toBe(before);
    expect(payloads()).toEqual(sealedBefore);

    const printed = await rotate('it', config(true));
    expect(printed).toMatch(
      /^Rotated the data key of it: new key \S+; 3 stored payloads re-sealed; the old key was removed/,
    );
    const after = await store.get(dataKeySecretName('it'));
    expect(after).not.toBe(before);
    const resealed = payloads();
    expect(resealed.every((p) => isSealed(p))).toBe(true);
    resealed.forEach((p, i) => expect(p.equals(sealedBefore[i]!)).toBe(false));

    // The agent, back with the new key only, sends every waiting record as it was captured.
    ingest.setFaults(undefined);
    await h.engine({ ...base, outbox: { encryption: { enabled: true } } });
    await waitFor(() => ingest.applied().length === 3, 15_000, 'the waiting records delivered');
    expect(
      ingest
        .applied()
        .map((a) => a.body.toString())
        .sort(),
    ).toEqual(['{"invoice":1}', '{"invoice":2}', '{"invoice":3}']);
    const db = new Database(outboxFile(dataDir), { readonly: true });
    try {
      const actions = db
        .prepare("SELECT actor, action FROM audit_log WHERE action LIKE 'data-key.%' ORDER BY id")
        .all() as { actor: string; action: string }[];
      expect(actions.map((a) => a.action)).toEqual(['data-key.rotate', 'data-key.rotated']);
      expect(actions.every((a) => a.actor.startsWith('cli:'))).toBe(true);
    } finally {
      db.close();
    }
  });
});
