// Read-only tools on an outbox this version has not upgraded yet: a clear error (status), a bundle with a note.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readStatus } from '../../main/commands/status-command.js';
import { buildDiagnosticBundle } from '../../main/diagnostics/bundle/index.js';
import { OlderSchemaError } from '../../main/outbox/migrate.js';
import { Outbox } from '../../main/outbox/outbox.js';
import { outboxFile } from '../../main/shared/data-dir.js';
import { runCli } from '../support/agent-process.js';
import { seedSchema4Outbox } from './schema4-seed.js';

let dataDir: string | undefined;
afterEach(() => {
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

function olderOutbox(): { dir: string; file: string } {
  dataDir = mkdtempSync(join(tmpdir(), 'older-outbox-'));
  mkdirSync(dataDir, { recursive: true });
  const file = outboxFile(dataDir);
  seedSchema4Outbox(file, 200);
  return { dir: dataDir, file };
}

describe('an outbox of an older schema, opened read-only', () => {
  it('status says which schema it has and that starting the agent once upgrades it', () => {
    const { dir, file } = olderOutbox();
    let thrown: unknown;
    try {
      readStatus({ dataDir: dir });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(OlderSchemaError);
    expect((thrown as Error).message).toContain(`The outbox ${file} has schema version 4`);
    expect((thrown as Error).message).toContain('Fix: start the agent once');
  });

  it('the status command prints that message and exits 4, without a stack trace', async () => {
    const { dir } = olderOutbox();
    const { code, output } = await runCli(['status', '--data-dir', dir]);
    expect(code).toBe(4);
    expect(output).toContain('has schema version 4');
    expect(output).toContain('Fix: start the agent once');
    expect(output).not.toMatch(/\n\s+at /);
  });

  it('the diagnostic bundle is still built, with a note instead of the outbox part', async () => {
    const { dir, file } = olderOutbox();
    const bundle = await buildDiagnosticBundle({ dataDir: dir, outbox: file, secretValues: [] });
    expect(
      bundle.notes.some((n) => n.includes('has schema version 4') && n.includes('outbox files left out')),
    ).toBe(true);
    expect(bundle.files.map((f) => f.name)).toContain('manifest.json');
  });

  it('once the agent has opened it (and upgraded it), read-only opens work and see every record', () => {
    const { dir, file } = olderOutbox();
    Outbox.open(file, { synchronous: 'FULL', busyTimeoutMs: 1000 }).close();
    const status = readStatus({ dataDir: dir });
    expect(status.state).toBe('not-running');
    const total = (status as { connections: { pending: number; dead: number }[] }).connections.reduce(
      (sum, c) => sum + c.pending + c.dead,
      0,
    );
    expect(total).toBeGreaterThan(0);
  });
});
