// Logging: secret-looking fields are redacted at any supported depth, and createLogger writes under <dataDir>/logs.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, redactedPaths } from '../../../main/observability/logger.js';

/** A pino logger with the agent's redaction, writing into memory; returns the logger and the text so far. */
function memoryLogger() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  const logger = pino({ redact: { paths: redactedPaths, censor: '[redacted]' } }, stream);
  return { logger, output: () => chunks.join('') };
}

describe('redactedPaths', () => {
  it('hides top-level and nested secrets while keeping ordinary fields', () => {
    const { logger, output } = memoryLogger();
    logger.info(
      {
        connection: 'invoices',
        password: 'pw-SECRET-1',
        token: 'tok-SECRET-2',
        headers: { authorization: 'Bearer SECRET-3', 'content-type': 'application/json' },
        auth: { clientSecret: 'cs-SECRET-4', clientId: 'agent-client' },
        a: { b: { apiKey: 'key-SECRET-5', region: 'eu-west' } },
      },
      'sending batch',
    );
    const text = output();
    for (const secret of ['pw-SECRET-1', 'tok-SECRET-2', 'SECRET-3', 'cs-SECRET-4', 'key-SECRET-5']) {
      expect(text).not.toContain(secret);
    }
    const line = JSON.parse(text) as {
      msg: string;
      connection: string;
      password: string;
      token: string;
      headers: unknown;
      auth: unknown;
      a: { b: unknown };
    };
    expect(line.msg).toBe('sending batch');
    expect(line.connection).toBe('invoices');
    expect(line.password).toBe('[redacted]');
    expect(line.token).toBe('[redacted]');
    expect(line.headers).toEqual({ authorization: '[redacted]', 'content-type': 'application/json' });
    expect(line.auth).toEqual({ clientSecret: '[redacted]', clientId: 'agent-client' });
    expect(line.a.b).toEqual({ apiKey: '[redacted]', region: 'eu-west' });
  });

  it('hides proxy credentials and API-key headers', () => {
    const { logger, output } = memoryLogger();
    logger.warn({
      headers: { 'proxy-authorization': 'Basic PROXY-SECRET' },
      request: { headers: { 'x-api-key': 'XKEY-SECRET', accept: '*/*' } },
    });
    const text = output();
    expect(text).not.toContain('PROXY-SECRET');
    expect(text).not.toContain('XKEY-SECRET');
    expect(text).toContain('*/*');
  });

  it('hides secrets in child logger bindings too', () => {
    const { logger, output } = memoryLogger();
    logger.child({ destination: { accessToken: 'AT-SECRET', url: 'https://api.example.com' } }).info('hello');
    const text = output();
    expect(text).not.toContain('AT-SECRET');
    expect(text).toContain('https://api.example.com');
  });
});

describe('createLogger', () => {
  let dataDir: string | undefined;

  afterEach(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    dataDir = undefined;
  });

  it('writes redacted JSON lines to a file under <dataDir>/logs', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'agent-logger-'));
    const logger = createLogger({
      dataDir,
      level: 'info',
      maxFileBytes: 1024 * 1024,
      maxFiles: 2,
      stdout: false,
    });
    const marker = `marker-${process.pid}-${Date.now()}`;
    logger.info({ password: 'FILE-SECRET', job: 'export' }, marker);
    logger.debug('below the level: never written');
    logger.flush();

    const logs = join(dataDir, 'logs');
    let found: string | undefined;
    for (let waited = 0; waited < 5000 && !found; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      let names: string[];
      try {
        names = readdirSync(logs);
      } catch {
        continue; // the worker has not created the directory yet
      }
      found = names
        .map((name) => readFileSync(join(logs, name), 'utf8'))
        .find((text) => text.includes(marker));
    }
    const stream = (logger as unknown as Record<symbol, { end?: () => void }>)[pino.symbols.streamSym];
    stream?.end?.();

    expect(found, `no file under ${logs} contained the log line`).toBeDefined();
    const line = JSON.parse(found!.split('\n').find((l) => l.includes(marker))!) as Record<string, unknown>;
    expect(line).toMatchObject({
      level: 30,
      msg: marker,
      job: 'export',
      password: '[redacted]',
      pid: process.pid,
    });
    expect(typeof line.time).toBe('string');
    expect(found).not.toContain('FILE-SECRET');
    expect(found).not.toContain('never written');
  });
});
