// The structured log event: what a log file line holds and the normalized form the UI's Activity page receives (zod only).
import { z } from 'zod';

export const logLevels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type LogLevel = (typeof logLevels)[number];

/** pino's numeric levels, as written in the log files. */
export const logLevelValues: Record<LogLevel, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
};

/** pino's error serializer output (type, message, stack, and the error's own fields such as code). */
const errLineSchema = z.looseObject({
  type: z.string().optional(),
  message: z.string().optional(),
  code: z.union([z.string(), z.number()]).optional(),
  stack: z.string().optional(),
});

/** Fields that tie a line to a record and its delivery attempts; the same names in files and in events. */
const correlationShape = {
  /** Connection id (every line written through a connection's child logger). */
  connection: z.string().optional(),
  /** Outbox record id, when the line is about one record. */
  recordId: z.number().optional(),
  /** Outbox record ids, when the line is about a batch. */
  recordIds: z.array(z.number()).optional(),
  batchKey: z.string().optional(),
  /** The Idempotency-Key sent with the request. */
  idempotencyKey: z.string().optional(),
  /** W3C trace id (32 hex digits) of the request's traceparent, when trace context is on. */
  traceId: z.string().optional(),
};

/** One line of `<data dir>/logs/agent*.log` (pino JSON); other fields are kept as they are. */
export const logLineSchema = z.looseObject({
  level: z.number(),
  /** ISO 8601 with milliseconds, UTC. */
  time: z.string(),
  pid: z.number().optional(),
  msg: z.string().optional(),
  ...correlationShape,
  err: errLineSchema.optional(),
});

/** A log line as the UI and the contract's `log` event see it: named level, epoch time, extra fields apart. */
export const logEventSchema = z.object({
  /** Position in this process's stream of events, increasing by one. */
  seq: z.number(),
  time: z.number(),
  level: z.enum(logLevels),
  msg: z.string(),
  ...correlationShape,
  /** The error's type, message and code (the stack stays in the file). */
  err: z.object({ type: z.string().optional(), message: z.string(), code: z.string().optional() }).optional(),
  /** Every other field of the line (status, error, retryAt…), already redacted. */
  fields: z.record(z.string(), z.unknown()),
});

export type LogLine = z.infer<typeof logLineSchema>;
export type LogEvent = z.infer<typeof logEventSchema>;

const known = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'err', ...Object.keys(correlationShape)]);

function levelName(value: number): LogLevel {
  let name: LogLevel = 'trace';
  for (const level of logLevels) if (value >= logLevelValues[level]) name = level;
  return name;
}

/** Normalizes one parsed line; undefined when it is not a log line of this shape. */
export function toLogEvent(raw: unknown, seq: number): LogEvent | undefined {
  const parsed = logLineSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const line = parsed.data;
  const time = Date.parse(line.time);
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(line)) if (!known.has(key)) fields[key] = value;
  const { connection, recordId, recordIds, batchKey, idempotencyKey, traceId, err } = line;
  return {
    seq,
    time: Number.isNaN(time) ? 0 : time,
    level: levelName(line.level),
    msg: line.msg ?? err?.message ?? '',
    ...(connection !== undefined ? { connection } : {}),
    ...(recordId !== undefined ? { recordId } : {}),
    ...(recordIds !== undefined ? { recordIds } : {}),
    ...(batchKey !== undefined ? { batchKey } : {}),
    ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
    ...(traceId !== undefined ? { traceId } : {}),
    ...(err
      ? {
          err: {
            message: err.message ?? '',
            ...(err.type !== undefined ? { type: err.type } : {}),
            ...(err.code !== undefined ? { code: String(err.code) } : {}),
          },
        }
      : {}),
    fields,
  };
}
