// Turns TLS and proxy failures of a request into plain words with a fix; remembers what the server's certificate said.
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { distinguishedName } from './tls.js';

/** The proxy could not be used: unreachable, refused the login (407) or refused the tunnel. No credentials inside. */
export class ProxyError extends Error {
  readonly code: string;
  constructor(
    readonly proxyOrigin: string,
    readonly target: string,
    message: string,
    code: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ProxyError';
    this.code = code;
  }
}

/** Wraps what the proxy agent reported while opening a tunnel to `target` through `proxyOrigin`. */
export function proxyFailure(
  error: Error,
  proxyOrigin: string,
  target: string,
  credentialHint: string,
): ProxyError {
  const status = /^Bad response: (\d{3})$/.exec(error.message)?.[1];
  if (status === '407')
    return new ProxyError(
      proxyOrigin,
      target,
      `proxy authentication failed at ${proxyOrigin}: ${credentialHint}`,
      'ERR_PROXY_AUTH',
      407,
    );
  if (status !== undefined)
    return new ProxyError(
      proxyOrigin,
      target,
      `the proxy at ${proxyOrigin} refused to open a connection to ${target} (HTTP ${status}). Fix: ask your network administrator to allow ${target} through the proxy, or exclude it with NO_PROXY / proxy.noProxy`,
      'ERR_PROXY_REFUSED',
      Number(status),
    );
  const code =
    (error as NodeJS.ErrnoException).code ?? (error.message === 'Proxy timeout' ? 'ETIMEDOUT' : 'ERR_PROXY');
  return new ProxyError(
    proxyOrigin,
    target,
    `cannot reach the proxy at ${proxyOrigin} (${code}). Fix: check that the proxy runs and that destination.proxy (or HTTPS_PROXY / HTTP_PROXY) names the right host and port`,
    code,
  );
}

interface PeerInfo {
  /** host:port the TLS connection was for. */
  target: string;
  issuer?: string;
  subject?: string;
  validFrom?: string;
  validTo?: string;
}

const peerByError = new WeakMap<object, PeerInfo>();

/** Notes the server's certificate during the handshake so a verification failure can name its issuer. */
export function watchHandshake(socket: TLSSocket, target: string): void {
  let peer: PeerInfo = { target };
  // Runs before Node's own 'secure' handler, which verifies the chain and destroys the socket on failure.
  socket.prependOnceListener('secure', () => {
    const cert: PeerCertificate = socket.getPeerCertificate(false);
    if (cert?.fingerprint256)
      peer = {
        target,
        issuer: distinguishedName(cert.issuer),
        subject: distinguishedName(cert.subject),
        validFrom: cert.valid_from,
        validTo: cert.valid_to,
      };
  });
  socket.prependOnceListener('error', (error: Error) => peerByError.set(error, peer));
}

const untrusted = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

const clientCertRefused = new Set([
  'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
  'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED',
  'ERR_SSL_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE',
]);

/** Removes credentials that could ride along in URLs or auth headers quoted by an underlying error. */
export function scrubCredentials(text: string): string {
  return text
    .replace(/(\/\/)[^\s/@]+@/g, '$1***@')
    .replace(/\b(Basic|Bearer)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 ***');
}

function errorChain(error: unknown): Error[] {
  const chain: Error[] = [];
  let current: unknown = error;
  while (current instanceof Error && !chain.includes(current)) {
    chain.push(current);
    current = current.cause;
  }
  return chain;
}

function codeOf(error: Error): string | undefined {
  const code = (error as NodeJS.ErrnoException).code;
  return typeof code === 'string' ? code : undefined;
}

function describeTls(error: Error, code: string, peer: PeerInfo | undefined): string | undefined {
  const target = peer?.target ?? 'the server';
  const issuer = peer?.issuer ?? 'unknown';
  if (untrusted.has(code))
    return (
      `the server's certificate (${target}) is not trusted (issuer: ${issuer}). If your network inspects TLS, ` +
      `add your corporate root CA with destination.tls.caFile; otherwise ask the API provider to send a complete ` +
      `certificate chain from a public CA`
    );
  if (code === 'ERR_TLS_PIN_MISMATCH')
    return (
      `${error.message} (issuer: ${issuer}). Fix: if the API provider renewed its certificate, put the new ` +
      `fingerprint in destination.tls.pinnedSha256; if not, something between the agent and the server is intercepting TLS`
    );
  if (code === 'CERT_HAS_EXPIRED')
    return `the server's certificate expired on ${peer?.validTo ?? 'an earlier date'} (${target}). Fix: the API provider must renew it; if that date is in the future, correct this computer's clock`;
  if (code === 'CERT_NOT_YET_VALID')
    return `the server's certificate is only valid from ${peer?.validFrom ?? 'a later date'} (${target}). Fix: correct this computer's clock`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return `the server's certificate (${peer?.subject ?? 'unknown subject'}) is not valid for the host name: ${error.message}. Fix: use the host name the certificate was issued for in destination.url`;
  if (code === 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED')
    return `the server at ${target} requires a client certificate. Fix: set destination.tls.clientCertFile and clientKeyFile`;
  if (clientCertRefused.has(code))
    return `the server at ${target} refused the agent's client certificate (${code}). Fix: check that destination.tls.clientCertFile is the certificate the API provider registered, issued by a CA it trusts, and not expired`;
  if (/protocol version|unsupported protocol|no protocols available/i.test(error.message))
    return `the server at ${target} does not offer TLS 1.2 or newer, the minimum the agent accepts. Fix: ask the API provider to enable TLS 1.2 or 1.3`;
  if (code === 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE')
    return `the TLS handshake with ${target} failed: the server found no acceptable settings (it may require a client certificate). Fix: check destination.tls with the API provider`;
  return undefined;
}

/** Plain-words message with a fix for a failed request (got RequestError or anything it wraps); never credentials. */
export function describeTransportError(error: unknown): { message: string; code?: string } {
  const chain = errorChain(error);
  if (chain.length === 0) return { message: scrubCredentials(String(error)) };
  for (const link of chain) {
    if (link instanceof ProxyError) return { message: link.message, code: link.code };
  }
  const peer = chain.map((link) => peerByError.get(link)).find((info) => info !== undefined);
  for (const link of chain) {
    const code = codeOf(link);
    if (code === undefined) continue;
    const described = describeTls(link, code, peer);
    if (described !== undefined) return { message: described, code };
  }
  const outer = chain[0] as Error;
  const code = codeOf(outer);
  const message = describeNetwork(chain, code) ?? scrubCredentials(outer.message);
  return code === undefined ? { message } : { message, code };
}

function describeNetwork(chain: Error[], code: string | undefined): string | undefined {
  const detail = chain.find(
    (link): link is NodeJS.ErrnoException & { address?: string; port?: number; hostname?: string } =>
      (link as NodeJS.ErrnoException).syscall !== undefined,
  );
  if (code === 'ECONNREFUSED' && detail?.address !== undefined)
    return `connection refused by ${detail.address}:${detail.port ?? ''}. Fix: check the host and port in destination.url and that the API is running`;
  if (code === 'ENOTFOUND' && detail?.hostname !== undefined)
    return `the host name ${detail.hostname} was not found (DNS). Fix: check destination.url; if this network reaches the internet only through a proxy, set destination.proxy`;
  return undefined;
}
