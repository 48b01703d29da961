// The diagnostic bundle: secrets planted in config, store, logs, errors and payloads never reach the zip; what support needs does.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agentConfigSchema, type AgentConfig } from '../../../main/config/schema.js';
import { buildDiagnosticBundle, keyHash } from '../../../main/diagnostics/bundle/index.js';
import { collectSecretValues } from '../../../main/diagnostics/bundle/secret-values.js';
import { logDir, outboxFile } from '../../../main/shared/data-dir.js';
import { Outbox } from '../../../main/outbox/outbox.js';
import { openSecretStore } from '../../../main/secrets/open-secret-store.js';
import { useTempDir } from '../../support/temp-dir.js';

const tempDir = useTempDir({ prefix: 'bundle-' });
const opened: Outbox[] = [];
afterEach(() => {
  for (const outbox of opened.splice(0)) outbox.close();
  delete process.env.BUNDLE_TEST_SECRET_KEY;
});

const erpToken = 'tok-Zq8pL3xWv9Rt5Ku2mN';
const dbPassword = 'Db-pa55/w0rd!x7';
const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJqYW5lIn0.c2lnbmF0dXJlLXZhbHVl';
const customerEmail = 'jane.customer@example.org';
const cardNumber = '4111111111111111';
const customerNumber = 'CUST-482913';
const payloadText = JSON.stringify({
  invoice: 'INV-1001',
  email: customerEmail,
  card: cardNumber,
  customerNumber,
});

/** Every form a planted value could leak in: raw, base64, URL-encoded. */
function leakForms(value: string): string[] {
  return [value, Buffer.from(value).toString('base64'), encodeURIComponent(value)];
}

function requireUnzip(): void {
  try {
    execFileSync('unzip', ['-v'], { stdio: 'ignore' });
  } catch {
    throw new Error('the system `unzip` is needed to read bundles in this test: apt-get install -y unzip');
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

async function plant(dataDir: string): Promise<{ config: AgentConfig; outbox: Outbox; deadId: number }> {
  process.env.BUNDLE_TEST_SECRET_KEY = 'a-test-key-that-is-long-enough-123';
  const config = agentConfigSchema.parse({
    configVersion: 1,
    connections: [
      {
        id: 'invoices',
        source: { type: 'folder', path: join(dataDir, 'inbox') },
        destination: {
          type: 'http',
          url: 'https://api.example.com/v1/invoices',
          auth: { type: 'bearer', token: { secretRef: 'erp-token' } },
        },
      },
    ],
    secrets: { backend: 'file', keyEnv: 'BUNDLE_TEST_SECRET_KEY' },
    diagnostics: { redactPatterns: ['CUST-[0-9]{6}'] },
  });
  const store = await openSecretStore(config.secrets, dataDir);
  await store.set('erp-token', erpToken);
  await store.set('db-password', dbPassword);

  mkdirSync(logDir(dataDir), { recursive: true });
  const line = (fields: Record<string, unknown>) =>
    `${JSON.stringify({ time: '2026-11-21T10:00:00.000Z', pid: 1, ...fields })}\n`;
  writeFileSync(
    join(logDir(dataDir), 'agent.1.log'),
    line({ level: 30, msg: `connecting to postgres://agent:${dbPassword}@db.local/erp` }) +
      line({ level: 30, msg: 'sent', details: { authorization: `Bearer ${erpToken}` } }),
  );
  writeFileSync(
    join(logDir(dataDir), 'agent.2.log'),
    line({
      level: 50,
      msg: `request failed for ${customerEmail}`,
      recordId: 1,
      err: { message: `401 with token ${jwt}` },
    }) +
      `plain text line Authorization: Basic ${Buffer.from(`agent:${dbPassword}`).toString('base64')}\n` +
      line({
        level: 40,
        msg: `retrying with password=${encodeURIComponent(dbPassword)} for ${customerNumber}`,
      }),
  );

  const outbox = Outbox.open(outboxFile(dataDir), { synchronous: 'NORMAL', busyTimeoutMs: 1000 });
  opened.push(outbox);
  outbox.enqueue('invoices', {
    changes: ['INV-1001', 'INV-1002', 'INV-1003'].map((key) => ({
      idempotencyKey: `inbox/${key}.json:${key}`,
      orderingKey: `inbox/${key}.json`,
      businessKey: key,
      contentType: 'application/json',
      payload: Buffer.from(payloadText.replace('INV-1001', key)),
      origin: { path: `inbox/${key}.json` },
    })),
    checkpoints: [],
  });
  const lease = outbox.lease({ connection: 'invoices', max: 10, maxBytes: 1_000_000, leaseMs: 60_000 });
  const [first, second] = lease.records;
  if (!first || !second) throw new Error('expected leased records');
  outbox.settle(lease.token, [
    {
      id: first.id,
      kind: 'dead',
      latencyMs: 7,
      error: `HTTP 422: card ${cardNumber} of ${customerEmail} rejected`,
      code: 'HTTP 422',
      response: {
        code: 'HTTP 422',
        details: { 'content-type': 'application/json', 'set-cookie': `sid=${erpToken}` },
        excerpt: JSON.stringify({ error: 'invalid', token: erpToken, echo: payloadText }),
      },
    },
    {
      id: second.id,
      kind: 'retry',
      retryAt: Date.now() + 60_000,
      error: 'HTTP 503',
      code: 'HTTP 503',
      latencyMs: 5,
    },
  ]);
  return { config, outbox, deadId: first.id };
}

describe('buildDiagnosticBundle', () => {
  it('leaves every planted secret and payload out of every file, and keeps the ids, key hashes and reasons', async () => {
    requireUnzip();
    const dataDir = tempDir();
    const { config, outbox, deadId } = await plant(dataDir);
    const secretValues = await collectSecretValues(config, dataDir);
    expect(secretValues.sort()).toEqual([dbPassword, erpToken].sort());

    const bundle = await buildDiagnosticBundle({ dataDir, config, outbox, secretValues });
    const zip = join(dataDir, 'support.zip');
    await bundle.writeTo(zip);
    expect(statSync(zip).mode & 0o777).toBe(0o600);
    const out = join(dataDir, 'unzipped');
    execFileSync('unzip', ['-q', zip, '-d', out]);
    const files = filesUnder(out);
    const names = files.map((f) => relative(out, f)).sort();
    expect(names).toEqual(
      [
        'config.json',
        'errors.json',
        'logs/agent.1.log',
        'logs/agent.2.log',
        'manifest.json',
        'outbox/audit.json',
        'outbox/dead-letters.json',
        'outbox/recent-records.json',
        'outbox/statistics.json',
        'summary.txt',
        'system.json',
      ].sort(),
    );

    const planted = [erpToken, dbPassword, jwt, customerEmail, cardNumber, customerNumber, payloadText];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const value of planted)
        for (const form of leakForms(value))
          expect(text, `${relative(out, file)} leaks ${form}`).not.toContain(form);
    }
    expect(JSON.stringify(bundle.files)).not.toContain(erpToken); // the preview samples too

    const read = (name: string) => readFileSync(join(out, name), 'utf8');
    const dead = JSON.parse(read('outbox/dead-letters.json')) as {
      id: number;
      businessKeySha256: string;
      lastError: string;
    }[];
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ id: deadId, businessKeySha256: keyHash('INV-1001') });
    expect(dead[0]?.lastError).toBe('HTTP 422: card [card] of [email] rejected');
    const summary = read('summary.txt');
    expect(summary).toContain(`record ${deadId} [invoices] business key #${keyHash('INV-1001')}`);
    expect(summary).toContain('HTTP 422');
    expect(summary).toMatch(/invoices: 2 pending, 1 dead/);
    const recent = JSON.parse(read('outbox/recent-records.json')) as {
      payload: { sha256: string; bytes: number };
    }[];
    expect(recent).toHaveLength(3);
    expect(recent.every((r) => /^[0-9a-f]{64}$/.test(r.payload.sha256) && r.payload.bytes > 0)).toBe(true);
    const stats = JSON.parse(read('outbox/statistics.json')) as { retryHistogram: Record<string, number> }[];
    expect(stats[0]?.retryHistogram).toEqual({ '1': 2 }); // attempts count at lease: the retried and the in-flight record
    expect(read('config.json')).toContain('"secretRef": "erp-token"');
    const errors = JSON.parse(read('errors.json')) as { msg: string }[];
    expect(errors.map((e) => e.msg)).toEqual(['request failed for [email]']);

    const manifest = JSON.parse(read('manifest.json')) as {
      machineIdHash: string;
      files: { name: string; bytes: number; sha256: string }[];
    };
    expect(manifest.machineIdHash).toMatch(/^[0-9a-f]{64}$/);
    for (const entry of manifest.files) {
      const content = readFileSync(join(out, entry.name));
      expect(entry.bytes, entry.name).toBe(content.length);
    }
  });

  it('opens the outbox file read-only when given a path, and previews files with redacted samples', async () => {
    const dataDir = tempDir();
    const { config, outbox } = await plant(dataDir);
    outbox.close();
    const bundle = await buildDiagnosticBundle({
      dataDir,
      config,
      outbox: outboxFile(dataDir),
      secretValues: [],
    });
    const dead = bundle.files.find((f) => f.name === 'outbox/dead-letters.json');
    expect(dead?.sample).toContain('HTTP 422');
    expect(bundle.files.every((f) => f.sample.length <= 600 && /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true);
    // Without the store's values, patterns still catch the credentials in their usual places.
    const logs = bundle.files
      .filter((f) => f.name.startsWith('logs/'))
      .map((f) => f.sample)
      .join('\n');
    expect(logs).not.toContain(erpToken);
    expect(logs).not.toContain(dbPassword);
  });

  it('trims logs first to stay under the size limit and says so in the manifest', async () => {
    const dataDir = tempDir();
    mkdirSync(logDir(dataDir), { recursive: true });
    const lines = Array.from({ length: 20_000 }, (_, i) => `{"level":30,"msg":"line ${i}"}\n`).join('');
    writeFileSync(join(logDir(dataDir), 'agent.1.log'), lines);
    const maxBytes = 200 * 1024;
    const bundle = await buildDiagnosticBundle({
      dataDir,
      outbox: outboxFile(dataDir),
      secretValues: [],
      maxBytes,
    });
    expect(bundle.totalBytes).toBeLessThanOrEqual(maxBytes);
    const log = bundle.files.find((f) => f.name === 'logs/agent.1.log');
    expect(log?.bytes).toBeGreaterThan(50 * 1024);
    const manifest = bundle.files.find((f) => f.name === 'manifest.json')?.sample ?? '';
    expect(bundle.notes.some((n) => n.includes('logs/agent.1.log trimmed to its last'))).toBe(true);
    expect(manifest).toContain('maxBytes');
    expect(existsSync(join(dataDir, 'outbox.db'))).toBe(false); // a bundle never creates an outbox
  });

  it('skips a part that hangs with a note instead of hanging, and redacts the doctor report', async () => {
    const dataDir = tempDir();
    const started = Date.now();
    const hanging = await buildDiagnosticBundle({
      dataDir,
      outbox: outboxFile(dataDir),
      secretValues: [],
      timeoutMs: 300,
      doctor: () => new Promise(() => undefined),
    });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(hanging.notes.some((n) => n.startsWith('network doctor skipped'))).toBe(true);
    expect(hanging.files.some((f) => f.name === 'doctor.json')).toBe(false);

    const answered = await buildDiagnosticBundle({
      dataDir,
      outbox: outboxFile(dataDir),
      secretValues: [erpToken],
      doctor: () =>
        Promise.resolve([{ destination: 'x', checks: [{ id: 'oauth', detail: `got ${erpToken}` }] }]),
    });
    const doctor = answered.files.find((f) => f.name === 'doctor.json');
    expect(doctor?.sample).toContain('got [redacted]');
  });
});
