// The newest pino log lines of the data directory, redacted line by line, and the error-level events among them.
import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { redactJson, type Redactor } from '../redaction.js';

export interface LogTail {
  /** Bundle file name (logs/<file>) and its redacted text, newest file first. */
  files: { name: string; text: string }[];
  /** Error-level events (pino level >= 50), oldest first, redacted. */
  errors: unknown[];
  notes: string[];
}

interface LogFile {
  name: string;
  path: string;
  size: number;
  mtimeMs: number;
}

/** Log files, newest first (numbered agent.1.log, agent.2.log…; the highest number is the newest). */
function logFiles(dir: string): LogFile[] {
  if (!existsSync(dir)) return [];
  const number = (name: string) => Number(/\.(\d+)\.log$/.exec(name)?.[1] ?? 0);
  return readdirSync(dir)
    .filter((name) => /\.log(\.\d+)?$/.test(name))
    .map((name) => {
      const stat = statSync(join(dir, name));
      return { name, path: join(dir, name), size: stat.size, mtimeMs: stat.mtimeMs };
    })
    .filter((f) => f.size > 0)
    .sort((a, b) => b.mtimeMs - a.mtimeMs || number(b.name) - number(a.name));
}

/** The last `bytes` of a file, starting at a line boundary. */
function readTail(path: string, size: number, bytes: number): string {
  const start = Math.max(0, size - bytes);
  const buffer = Buffer.alloc(size - start);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buffer, 0, buffer.length, start);
  } finally {
    closeSync(fd);
  }
  const text = buffer.toString('utf8');
  return start === 0 ? text : text.slice(text.indexOf('\n') + 1);
}

function redactLine(line: string, redact: Redactor): { text: string; event?: Record<string, unknown> } {
  try {
    const parsed = JSON.parse(line) as unknown;
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const event = redactJson(parsed, redact) as Record<string, unknown>;
      return { text: JSON.stringify(event), event };
    }
  } catch {
    // not JSON: redact as text
  }
  return { text: redact(line) };
}

/**
 * Reads the newest log lines within `budgetBytes` (newest files first; older files are left out or cut at a line),
 * redacting every line, and collects up to `maxErrors` error-level events from what was read.
 */
export function readLogTail(dir: string, budgetBytes: number, maxErrors: number, redact: Redactor): LogTail {
  const files = logFiles(dir);
  const tail: LogTail = { files: [], errors: [], notes: [] };
  let remaining = Math.max(0, budgetBytes);
  const errors: unknown[] = [];
  for (const file of files) {
    if (remaining <= 0) {
      tail.notes.push(`logs/${file.name} (${file.size} bytes) left out: the bundle size limit was reached`);
      continue;
    }
    const raw = readTail(file.path, file.size, remaining);
    if (raw.length < file.size)
      tail.notes.push(
        `logs/${file.name} trimmed to its last ${raw.length} of ${file.size} bytes (bundle size limit)`,
      );
    remaining -= Buffer.byteLength(raw);
    const lines = raw.split('\n').filter((line) => line.trim() !== '');
    const redacted = lines.map((line) => redactLine(line, redact));
    const fileErrors = redacted.flatMap((r) =>
      r.event && typeof r.event.level === 'number' && r.event.level >= 50 ? [r.event] : [],
    );
    errors.unshift(...fileErrors); // older files come later in the loop: keep oldest first
    tail.files.push({ name: `logs/${file.name}`, text: redacted.map((r) => `${r.text}\n`).join('') });
  }
  tail.errors = errors.slice(-maxErrors);
  if (files.length === 0) tail.notes.push(`no log files in ${dir}`);
  return tail;
}
