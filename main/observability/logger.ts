// pino JSON logs: size-rotated numbered files in the data dir, optional stdout, an in-memory tail; secrets redacted.
import { join } from 'node:path';
import pino, { type Logger, type LevelWithSilent } from 'pino';
import { logDir } from '../shared/data-dir.js';
import { LogTail } from './log-tail.js';
import { RollingFile } from './rolling-file.js';

export interface LoggerOptions {
  dataDir: string;
  level: LevelWithSilent;
  maxFileBytes: number;
  maxFiles: number;
  /** Also write to stdout (headless service under systemd/journald). */
  stdout: boolean;
  /** The ring of recent events for the UI; a new one (2000 events) when absent. Read it back with logTailOf. */
  tail?: LogTail;
}

const secretFields = [
  'password',
  'passphrase',
  'secret',
  'token',
  'accessToken',
  'refreshToken',
  'apiKey',
  'clientSecret',
  'authorization',
  'Authorization',
  'cookie',
  'privateKey',
];

/** Field paths whose values never reach a log line, at the top level and up to two levels deep. */
export const redactedPaths = [
  ...secretFields,
  ...secretFields.map((f) => `*.${f}`),
  ...secretFields.map((f) => `*.*.${f}`),
  'headers["proxy-authorization"]',
  '*.headers["proxy-authorization"]',
  '*.headers["x-api-key"]',
];

const tails = new WeakMap<Logger, LogTail>();

/**
 * Every destination takes every level: the logger's own level is the one filter, so setLogLevel can lower it at
 * runtime. Redaction happens before serialization, so files, stdout and the tail all get the redacted line.
 */
export function createLogger(options: LoggerOptions): Logger {
  const file = new RollingFile({
    file: join(logDir(options.dataDir), 'agent.log'),
    maxFileBytes: options.maxFileBytes,
    maxFiles: options.maxFiles,
  });
  const tail = options.tail ?? new LogTail();
  const logger = pino(
    {
      level: options.level,
      redact: { paths: redactedPaths, censor: '[redacted]' },
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    pino.multistream([
      { level: 'trace', stream: file },
      ...(options.stdout
        ? [{ level: 'trace' as const, stream: pino.destination({ dest: 1, sync: false }) }]
        : []),
      { level: 'trace', stream: tail },
    ]),
  );
  tails.set(logger, tail);
  return logger;
}

/** The in-memory tail a logger made by createLogger feeds. */
export function logTailOf(logger: Logger): LogTail | undefined {
  return tails.get(logger);
}

/** Changes the level at runtime; child loggers (one per connection) follow unless they set their own. */
export function setLogLevel(logger: Logger, level: LevelWithSilent): void {
  logger.level = level;
}
