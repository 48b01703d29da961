// The TLS handshake exactly as delivery makes it (same trust, pins, client certificate), recording protocol, cipher and chain.
import { X509Certificate } from 'node:crypto';
import { isIP, type Socket } from 'node:net';
import tls, { type DetailedPeerCertificate, type PeerCertificate } from 'node:tls';
import { distinguishedName, type TlsConnectOptions } from '../tls.js';
import { describeTransportError } from '../transport.js';
import { watchHandshake } from '../transport-errors.js';
import type { CertificateSummary } from './certificate-expiry.js';
import { withDeadline } from './deadline.js';

export interface PeerChain {
  /** Leaf first; includes the issuers Node found in its trust store. */
  summaries: CertificateSummary[];
  certificates: X509Certificate[];
}

export interface HandshakeResult {
  ms: number;
  chain?: PeerChain;
  protocol?: string;
  cipher?: string;
  /** Set when the handshake or the verification failed: plain words with a fix (from the delivery transport). */
  failure?: { message: string; code?: string };
}

function isoDate(value: string): string {
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? value : new Date(parsed).toISOString();
}

/** The chain as Node reports it (each certificate links to its issuer), leaf first, without repeats. */
export function peerChain(leaf: PeerCertificate): PeerChain {
  const summaries: CertificateSummary[] = [];
  const certificates: X509Certificate[] = [];
  let current: DetailedPeerCertificate | undefined = leaf as DetailedPeerCertificate;
  while (current?.fingerprint256 && !summaries.some((s) => s.sha256 === current?.fingerprint256)) {
    const issuer: DetailedPeerCertificate | undefined = current.issuerCertificate;
    summaries.push({
      subject: distinguishedName(current.subject),
      issuer: distinguishedName(current.issuer),
      validFrom: isoDate(current.valid_from),
      validTo: isoDate(current.valid_to),
      sha256: current.fingerprint256,
      selfSigned: issuer?.fingerprint256 === current.fingerprint256,
    });
    certificates.push(new X509Certificate(current.raw));
    current = issuer;
  }
  return { summaries, certificates };
}

/** TLS over `socket` (direct or a proxy tunnel) to host:port with the destination's TLS options. */
export async function tlsHandshake(
  socket: Socket,
  host: string,
  port: number,
  options: TlsConnectOptions,
  timeoutMs: number,
): Promise<HandshakeResult> {
  const started = performance.now();
  const secured = tls.connect({
    ...options,
    socket,
    host,
    ...(isIP(host) === 0 ? { servername: host } : {}),
  });
  watchHandshake(secured, `${host}:${port}`);
  let chain: PeerChain | undefined;
  let protocol: string | undefined;
  let cipher: string | undefined;
  // Runs before Node verifies the chain (and destroys the socket when that fails), so a refused chain is still seen.
  secured.prependOnceListener('secure', () => {
    const leaf = secured.getPeerCertificate(true);
    if (leaf?.fingerprint256) chain = peerChain(leaf);
    protocol = secured.getProtocol() ?? undefined;
    const suite = secured.getCipher();
    cipher = suite?.standardName ?? suite?.name;
  });
  const done = new Promise<HandshakeResult>((resolve) => {
    secured.once('secureConnect', () =>
      resolve({ ms: Math.round(performance.now() - started), chain, protocol, cipher }),
    );
    secured.once('error', (error: Error) =>
      resolve({
        ms: Math.round(performance.now() - started),
        chain,
        protocol,
        cipher,
        failure: describeTransportError(error),
      }),
    );
  });
  try {
    return await withDeadline(done, timeoutMs, `TLS handshake with ${host}:${port}`, () => secured.destroy());
  } catch (error) {
    return {
      ms: Math.round(performance.now() - started),
      chain,
      failure: { message: (error as Error).message, code: 'ETIMEDOUT' },
    };
  } finally {
    secured.destroy();
  }
}
