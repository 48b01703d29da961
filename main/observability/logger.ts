// pino JSON logs: rotated files in the data dir (pino-roll), optional stdout, secret-looking fields redacted.
import { join } from 'node:path';
import pino, { type Logger, type LevelWithSilent } from 'pino';
import { logDir } from '../engine/data-dir.js';

export interface LoggerOptions {
  dataDir: string;
  level: LevelWithSilent;
  maxFileBytes: number;
  maxFiles: number;
  /** Also write to stdout (headless service under systemd/journald). */
  stdout: boolean;
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

export function createLogger(options: LoggerOptions): Logger {
  const targets: pino.TransportTargetOptions[] = [
    {
      target: 'pino-roll',
      level: options.level,
      options: {
        file: join(logDir(options.dataDir), 'agent.log'),
        size: `${Math.max(1, Math.ceil(options.maxFileBytes / 1024))}k`,
        limit: { count: options.maxFiles },
        mkdir: true,
      },
    },
  ];
  if (options.stdout)
    targets.push({ target: 'pino/file', level: options.level, options: { destination: 1 } });
  return pino(
    {
      level: options.level,
      redact: { paths: redactedPaths, censor: '[redacted]' },
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    pino.transport({ targets }),
  );
}
