// `integration-agent dlq remap` beside an engine: the fixed mapping from the config file re-maps rejected rows (also sealed).
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { CliError } from '../../main/commands/cli-error.js';
import { dlqRemapCommand } from '../../main/commands/dlq-remap-command.js';
import { dataKeySecretName } from '../../main/outbox/data-keys.js';
import { isSealed } from '../../main/outbox/payload-codec.js';
import { openSecretStore } from '../../main/secrets/open-secret-store.js';
import { outboxFile } from '../../main/shared/data-dir.js';
import { waitFor } from '../support/agent-process.js';
import { fileSecrets } from '../support/file-secrets.js';
import { connectionOf, useEngineHarness, waitForStatus } from '../support/engine-harness.js';

const h = useEngineHarness('dlq-remap-');

const source = { records: { format: 'csv', delimiter: ';', businessKeyColumn: 'Nr' } };
const mapping = (version: number, locale: string) => ({
  version,
  expression: '{ "no": Nr, "amount": Betrag }',
  convert: { Betrag: { type: 'number', locale } },
});

/** Runs the command, returning what it printed on stdout and stderr. */
async function remap(ids: string[], options: Parameters<typeof dlqRemapCommand>[1]) {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((text) => out.push(String(text)) > 0);
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((text) => err.push(String(text)) > 0);
  try {
    await dlqRemapCommand(ids, options);
    return { out: out.join(''), err: err.join('') };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

describe('dlq remap', () => {
  it('re-maps the rejected rows with the mapping of the config file; the running engine sends them', async () => {
    const { dataDir, inbox } = h.paths();
    const ingest = await h.ingest();
    const url = `${ingest.url}/ingest/it`;
    const engine = await h.engine({ dataDir, inbox, url: ingest.url, source, mapping: mapping(1, 'en-US') });
    writeFileSync(join(inbox, 'rows.csv'), 'Nr;Betrag\nA-1;1.234,56\nA-2;7,5\n');
    await waitForStatus(engine, (s) => connectionOf(s).dead === 2, 'both rows rejected');

    const configFile = join(dataDir, 'agent.json');
    const connection = (m: unknown) => ({
      configVersion: 1,
      dataDir,
      connections: [
        {
          id: 'it',
          source: { type: 'folder', path: inbox, ...source },
          destination: { type: 'http', url },
          mapping: m,
        },
      ],
    });
    writeFileSync(
      configFile,
      JSON.stringify(connection({ ...mapping(2, 'de-DE'), history: [mapping(1, 'en-US')] })),
    );
    const printed = await remap([], { connection: 'it', config: configFile });
    expect(printed.out).toMatch(/^Re-mapped 2 records, now queued with the new payload/);
    await waitFor(() => ingest.applied().length === 2, 10_000, 'the re-mapped rows delivered');
    const amounts = ingest.applied().map((a) => (JSON.parse(a.body.toString()) as { amount: number }).amount);
    expect(amounts.sort((a, b) => a - b)).toEqual([7.5, 1234.56]);

    // Delivered now: asking again re-maps nothing, and says so.
    const [first] = engine.outbox.search({ businessKey: 'A-1', limit: 1 });
    await expect(remap([String(first!.id)], { connection: 'it', config: configFile })).rejects.toThrow(
      /nothing was re-mapped/,
    );
    await expect(remap([], { connection: 'it', config: configFile })).rejects.toBeInstanceOf(CliError);

    writeFileSync(configFile, JSON.stringify({ ...connection(undefined) }));
    await expect(remap([], { connection: 'it', config: configFile })).rejects.toThrow(/has no mapping/);
    await expect(remap([], { connection: 'other', config: configFile })).rejects.toThrow(
      /no connection "other"/,
    );
  });

  it('with outbox encryption on: opens the sealed source rows with the data key, stores the new payloads sealed; without the key changes nothing', async () => {
    const { dataDir, inbox } = h.paths();
    const secrets = fileSecrets(dirname(dataDir));
    const ingest = await h.ingest();
    const url = `${ingest.url}/ingest/it`;
    const encrypted = {
      dataDir,
      inbox,
      url: ingest.url,
      source,
      secrets,
      outbox: { encryption: { enabled: true } },
    };
    const first = await h.engine({ ...encrypted, mapping: mapping(1, 'en-US') });
    writeFileSync(join(inbox, 'rows.csv'), 'Nr;Betrag\nA-1;1.234,56\nA-2;7,5\n');
    await waitForStatus(first, (s) => connectionOf(s).dead === 2, 'both rows rejected');
    await first.stop(1000);

    const configFile = join(dataDir, 'agent.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        configVersion: 1,
        dataDir,
        secrets,
        outbox: { encryption: { enabled: true } },
        connections: [
          {
            id: 'it',
            source: { type: 'folder', path: inbox, ...source },
            destination: { type: 'http', url },
            mapping: { ...mapping(2, 'de-DE'), history: [mapping(1, 'en-US')] },
          },
        ],
      }),
    );
    const rows = () => {
      const db = new Database(outboxFile(dataDir), { readonly: true });
      try {
        const records = db
          .prepare(
            'SELECT id, state, payload, last_error FROM records LEFT JOIN record_payloads ON record_id = id ORDER BY id',
          )
          .all() as {
          id: number;
          state: string;
          payload: Buffer;
          last_error: string | null;
        }[];
        const events = db.prepare('SELECT count(*) FROM record_events').pluck().get() as number;
        return Object.assign(records, { events });
      } finally {
        db.close();
      }
    };
    const rejected = rows();
    expect(rejected.map((r) => [r.state, isSealed(r.payload)])).toEqual([
      ['dead', true],
      ['dead', true],
    ]);

    // The data key lost: a clear error naming the secret and its fix, and the outbox exactly as it was.
    const store = await openSecretStore(secrets, dataDir);
    const name = dataKeySecretName('it');
    const backup = (await store.get(name))!;
    await store.delete(name);
    const lost = remap([], { connection: 'it', config: configFile });
    await expect(lost).rejects.toBeInstanceOf(CliError);
    await expect(lost).rejects.toThrow(
      `nothing was re-mapped or changed: outbox.encryption is on, and the dead letters of it cannot be opened or re-sealed without its data key: the outbox data key of connection it (secret ${name}) is not in the`,
    );
    await expect(lost).rejects.toThrow(`integration-agent secrets set ${name} < backup`);
    const after = rows();
    expect(after).toEqual(rejected);
    expect(after.events).toBe(rejected.events);

    // The key restored, but a rotation of it is under way in an agent: payloads sealed now would outlive their key.
    await store.set(name, backup);
    const audit = (action: string) => {
      const db = new Database(outboxFile(dataDir));
      try {
        db.prepare(
          "INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, 'admin (console)', ?, 'it', NULL)",
        ).run(Date.now(), action);
      } finally {
        db.close();
      }
    };
    audit('data-key.rotate');
    const raced = remap([], { connection: 'it', config: configFile });
    await expect(raced).rejects.toThrow(/^stopped: a rotation of it's data key is under way since /);
    await expect(raced).rejects.toThrow('once the audit log shows data-key.rotated for it');
    expect(rows()).toEqual(rejected);
    audit('data-key.rotated');

    // The rotation over: both rows map (so the mapping saw the source rows, not ciphertext), queued sealed.
    const printed = await remap([], { connection: 'it', config: configFile });
    expect(printed.out).toMatch(/^Re-mapped 2 records, now queued with the new payload/);
    const queued = rows();
    expect(queued.map((r) => [r.state, isSealed(r.payload)])).toEqual([
      ['pending', true],
      ['pending', true],
    ]);
    for (const row of queued) {
      expect(row.payload.toString('latin1')).not.toContain('"amount"');
      expect(row.payload.toString('latin1')).not.toContain('A-');
    }

    await h.engine({ ...encrypted, mapping: mapping(2, 'de-DE') });
    await waitFor(() => ingest.applied().length === 2, 15_000, 'the re-mapped rows delivered');
    expect(
      ingest
        .applied()
        .map((a) => a.body.toString())
        .sort(),
    ).toEqual(['{"no":"A-1","amount":1234.56}', '{"no":"A-2","amount":7.5}']);
  });
});
