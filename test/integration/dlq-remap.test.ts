// `integration-agent dlq remap` beside a running engine: the fixed mapping from the config file re-maps rejected rows.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { CliError } from '../../main/commands/cli-error.js';
import { dlqRemapCommand } from '../../main/commands/dlq-remap-command.js';
import { waitFor } from '../support/agent-process.js';
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
});
