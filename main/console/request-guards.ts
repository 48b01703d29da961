// Which requests the console answers at all: Host (DNS rebinding), Origin / Sec-Fetch-Site (CSRF), JSON POSTs only.
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { HttpError } from './http-response.js';

/** 127.0.0.0/8, ::1 and their IPv4-mapped forms. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
  return plain === '::1' || (isIP(plain) === 4 && plain.startsWith('127.'));
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || isLoopbackAddress(host);
}

const bracket = (name: string) => (isIP(name) === 6 ? `[${name}]` : name.toLowerCase());

function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .flatMap((info) => (info ? [info.address] : []));
}

/** The host names (as they appear in a Host header, IPv6 in brackets) the console answers to. */
export function allowedHostNames(bindHost: string, allowedHosts: readonly string[] = []): Set<string> {
  const names = new Set(['localhost', bracket(bindHost), ...allowedHosts.map(bracket)]);
  if (bindHost === '0.0.0.0' || bindHost === '::') {
    for (const address of ['127.0.0.1', '::1', ...interfaceAddresses()]) names.add(bracket(address));
  }
  return names;
}

/** The Host header must name one of `names` with the console's port (browsers omit :80). */
export function checkHost(req: IncomingMessage, names: ReadonlySet<string>, port: number): string {
  const host = req.headers.host?.toLowerCase() ?? '';
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d+))?$/.exec(host);
  const name = match?.[1];
  const hostPort = match?.[2] === undefined ? 80 : Number(match[2]);
  if (!name || !names.has(name) || hostPort !== port) {
    throw new HttpError(
      421,
      'forbidden',
      `this console does not answer to the host "${req.headers.host ?? ''}"`,
      `open the address printed by \`integration-agent console-url\`; to reach it under another name, add it to console.allowedHosts`,
    );
  }
  return host;
}

/** A request that carries Origin must come from the console's own page; so must one a browser marks cross-site. */
export function checkOrigin(req: IncomingMessage, host: string, secure = false): void {
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `${secure ? 'https' : 'http'}://${host}`) {
    throw new HttpError(
      403,
      'forbidden',
      `requests from ${origin} are refused`,
      'use the console page itself',
    );
  }
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') {
    throw new HttpError(403, 'forbidden', 'cross-site requests are refused', 'use the console page itself');
  }
}

/** State changes only as POST with a JSON body; with a cookie the browser must also have said where it came from. */
export function checkJsonPost(req: IncomingMessage, viaCookie: boolean): void {
  if (req.method !== 'POST') {
    throw new HttpError(
      405,
      'invalid-argument',
      `${req.method ?? 'this method'} is not allowed here`,
      'use POST',
      {
        Allow: 'POST',
      },
    );
  }
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new HttpError(
      415,
      'invalid-argument',
      'the request body must be JSON',
      'send Content-Type: application/json',
    );
  }
  if (viaCookie && req.headers.origin === undefined) {
    throw new HttpError(
      403,
      'forbidden',
      'a request signed in by cookie must carry an Origin header',
      'use the console page, or send Authorization: Bearer <token> from scripts',
    );
  }
}
