// LogTail: the logger feeds it redacted, normalized events; filters by connection and level; subscribers and the ring cap.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { correlationFields } from '../../../main/observability/log-correlation.js';
import { logEventSchema, type LogEvent } from '../../../main/observability/log-event.js';
import { LogTail } from '../../../main/observability/log-tail.js';
import { createLogger, logTailOf, setLogLevel } from '../../../main/observability/logger.js';

let dataDir: string | undefined;
let logger: Logger | undefined;

afterEach(() => {
  (logger as unknown as Record<symbol, { end?: () => void }> | undefined)?.[pino.symbols.streamSym]?.end?.();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
  logger = undefined;
});

function agentLogger(level: 'info' | 'debug' = 'info'): { logger: Logger; tail: LogTail } {
  dataDir = mkdtempSync(join(tmpdir(), 'agent-tail-'));
  logger = createLogger({ dataDir, level, maxFileBytes: 1024 * 1024, maxFiles: 2, stdout: false });
  return { logger, tail: logTailOf(logger)! };
}

describe('LogTail fed by createLogger', () => {
  it('receives every line as a schema-valid, redacted event with correlation fields', () => {
    const { logger, tail } = agentLogger();
    const request = {
      idempotencyKey: 'folder:invoices/a.csv:abc',
      records: [{ id: 41 }],
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    };
    logger
      .child({ connection: 'invoices' })
      .warn({ ...correlationFields(request), token: 'TAIL-SECRET', retryAt: 5 }, 'send failed; will retry');
    logger.error({ err: Object.assign(new Error('disk gone'), { code: 'EIO' }) }, 'outbox write failed');

    const [first, second] = tail.recent();
    expect(logEventSchema.parse(first)).toEqual(first);
    expect(first).toMatchObject({
      seq: 1,
      level: 'warn',
      msg: 'send failed; will retry',
      connection: 'invoices',
      recordId: 41,
      idempotencyKey: 'folder:invoices/a.csv:abc',
      traceId: '0af7651916cd43dd8448eb211c80319c',
      fields: { token: '[redacted]', retryAt: 5 },
    });
    expect(Math.abs(first!.time - Date.now())).toBeLessThan(5000);
    expect(JSON.stringify(tail.recent())).not.toContain('TAIL-SECRET');
    expect(second).toMatchObject({
      seq: 2,
      level: 'error',
      err: { message: 'disk gone', code: 'EIO', type: 'Error' },
    });
    expect(second!.err).not.toHaveProperty('stack');
  });

  it('filters by connection and minimum level and returns the newest `limit`, oldest first', () => {
    const { logger, tail } = agentLogger('debug');
    const a = logger.child({ connection: 'a' });
    const b = logger.child({ connection: 'b' });
    a.debug('a1');
    b.info('b1');
    a.warn('a2');
    a.error('a3');
    b.error('b2');
    expect(tail.recent({ connection: 'a' }).map((e) => e.msg)).toEqual(['a1', 'a2', 'a3']);
    expect(tail.recent({ level: 'warn' }).map((e) => e.msg)).toEqual(['a2', 'a3', 'b2']);
    expect(tail.recent({ connection: 'a', level: 'warn', limit: 1 }).map((e) => e.msg)).toEqual(['a3']);
    expect(tail.recent({ limit: 0 })).toEqual([]);
    setLogLevel(logger, 'error');
    a.warn('not logged any more');
    expect(tail.recent().map((e) => e.msg)).not.toContain('not logged any more');
  });

  it('tells subscribers each event until they unsubscribe; a throwing subscriber breaks nothing', () => {
    const { logger, tail } = agentLogger();
    const seen: LogEvent[] = [];
    tail.subscribe(() => {
      throw new Error('closed connection');
    });
    const off = tail.subscribe((e) => seen.push(e));
    logger.info('one');
    off();
    logger.info('two');
    expect(seen.map((e) => e.msg)).toEqual(['one']);
    expect(tail.recent().map((e) => e.msg)).toEqual(['one', 'two']);
  });
});

describe('LogTail ring', () => {
  it('keeps only the newest `capacity` events', () => {
    const tail = new LogTail(3);
    for (let i = 1; i <= 5; i++)
      tail.write(`${JSON.stringify({ level: 30, time: new Date(i).toISOString(), msg: `m${i}` })}\n`);
    tail.write('not json\n');
    tail.write('{"no":"level"}\n');
    expect(tail.recent().map((e) => [e.seq, e.msg, e.time])).toEqual([
      [3, 'm3', 3],
      [4, 'm4', 4],
      [5, 'm5', 5],
    ]);
  });

  it('lets the logger take a given tail', () => {
    dataDir = mkdtempSync(join(tmpdir(), 'agent-tail-'));
    const tail = new LogTail(10);
    logger = createLogger({ dataDir, level: 'info', maxFileBytes: 1024, maxFiles: 1, stdout: false, tail });
    logger.info({ recordIds: [1, 2], batchKey: 'batch:x', idempotencyKey: 'batch:x' }, 'delivered');
    expect(logTailOf(logger)).toBe(tail);
    expect(tail.recent()[0]).toMatchObject({ recordIds: [1, 2], batchKey: 'batch:x', fields: {} });
  });
});

describe('correlationFields', () => {
  it('names one record or a batch, always the key, and the trace id only when a traceparent went out', () => {
    expect(correlationFields({ idempotencyKey: 'k', records: [{ id: 3 }] })).toEqual({
      recordId: 3,
      idempotencyKey: 'k',
    });
    expect(
      correlationFields(
        {
          idempotencyKey: 'b',
          records: [{ id: 1 }, { id: 2 }],
          traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        },
        'b',
      ),
    ).toEqual({
      recordIds: [1, 2],
      batchKey: 'b',
      idempotencyKey: 'b',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    });
  });
});
