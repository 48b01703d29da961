// Captured file names are hashed in the bundle like business keys (configurable): timelines, reasons and logs.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentConfigSchema } from '../../../main/config/schema.js';
import { hashedFileName } from '../../../main/diagnostics/bundle/file-names.js';
import { buildDiagnosticBundle } from '../../../main/diagnostics/bundle/index.js';
import { Outbox } from '../../../main/outbox/outbox.js';
import { logDir, outboxFile } from '../../../main/shared/data-dir.js';
import { useTempDir } from '../../support/temp-dir.js';

const tempDir = useTempDir({ prefix: 'bundle-names-' });
const fileName = 'ACME-Corp-salaries-2026.csv';

function plant(dataDir: string): void {
  const outbox = Outbox.open(outboxFile(dataDir), { synchronous: 'NORMAL', busyTimeoutMs: 1000 });
  outbox.enqueue('scans', {
    changes: [
      {
        idempotencyKey: 'k-1',
        orderingKey: fileName,
        contentType: 'text/csv',
        payload: Buffer.from('a,b\n'),
        origin: { file: fileName, size: 4 },
        rejected: { reason: `file ${fileName}: line 2 has 3 fields, the header 2` },
      },
    ],
    checkpoints: [],
  });
  outbox.close();
  mkdirSync(logDir(dataDir), { recursive: true });
  writeFileSync(
    join(logDir(dataDir), 'agent.1.log'),
    `${JSON.stringify({ level: 50, msg: `could not read /srv/in/${fileName}`, file: fileName })}\n`,
  );
}

function bundleText(dir: string): string {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return out.join('\n');
}

async function build(dataDir: string, hashFileNames?: boolean): Promise<string> {
  const config = agentConfigSchema.parse({
    configVersion: 1,
    ...(hashFileNames === undefined ? {} : { diagnostics: { hashFileNames } }),
  });
  const bundle = await buildDiagnosticBundle({
    dataDir,
    config,
    outbox: outboxFile(dataDir),
    secretValues: [],
  });
  const zip = join(dataDir, `bundle-${String(hashFileNames)}.zip`);
  await bundle.writeTo(zip);
  const out = join(dataDir, `unzipped-${String(hashFileNames)}`);
  execFileSync('unzip', ['-q', zip, '-d', out]);
  return bundleText(out);
}

describe('file names in the diagnostic bundle', () => {
  it('are replaced by their hash everywhere by default, and kept when diagnostics.hashFileNames is false', async () => {
    const dataDir = tempDir();
    plant(dataDir);
    const hashed = await build(dataDir);
    expect(hashed).not.toContain(fileName);
    expect(hashed).toContain(hashedFileName(fileName));
    expect(hashed).toContain('line 2 has 3 fields');
    const kept = await build(dataDir, false);
    expect(kept).toContain(fileName);
  });
});
