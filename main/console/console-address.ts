// Where the running console listens: the address file in the data dir (for `console-url`) and the URL with the token.
import { readFile, rm } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { writeFileAtomically } from '../shared/atomic-write.js';

export const consoleAddressFile = (dataDir: string) => join(dataDir, 'console.json');

export interface ConsoleAddress {
  host: string;
  port: number;
  pid: number;
  /** Served over HTTPS. */
  secure?: boolean;
  /** SHA-256 fingerprint of the console's certificate (for `console-url`). */
  certificateSha256?: string;
}

export async function writeConsoleAddress(dataDir: string, address: ConsoleAddress): Promise<void> {
  await writeFileAtomically(consoleAddressFile(dataDir), `${JSON.stringify(address)}\n`, { mode: 0o644 });
}

/** Removes the file only if it still names this process (a newer agent may have replaced it). */
export async function removeConsoleAddress(dataDir: string, pid = process.pid): Promise<void> {
  const current = await readConsoleAddress(dataDir);
  if (current?.pid === pid) await rm(consoleAddressFile(dataDir), { force: true });
}

/** Undefined when no console has written its address (never started, or stopped cleanly). */
export async function readConsoleAddress(dataDir: string): Promise<ConsoleAddress | undefined> {
  let text: string;
  try {
    text = await readFile(consoleAddressFile(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<ConsoleAddress>;
  if (typeof parsed.host !== 'string' || typeof parsed.port !== 'number' || typeof parsed.pid !== 'number') {
    return undefined;
  }
  return {
    host: parsed.host,
    port: parsed.port,
    pid: parsed.pid,
    ...(parsed.secure ? { secure: true } : {}),
    ...(typeof parsed.certificateSha256 === 'string' ? { certificateSha256: parsed.certificateSha256 } : {}),
  };
}

/** `http://host:port` (`https:` when the console has a certificate), IPv6 in brackets, wildcards shown as loopback. */
export function consoleOrigin(host: string, port: number, secure = false): string {
  const shown = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `${secure ? 'https' : 'http'}://${isIP(shown) === 6 ? `[${shown}]` : shown}:${port}`;
}

/** The token travels in the fragment, which browsers never send to the server (so it is in no access log). */
export function consoleUrl(host: string, port: number, token: string, secure = false): string {
  return `${consoleOrigin(host, port, secure)}/#token=${token}`;
}
