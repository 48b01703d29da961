// Refuses plain-http URLs except to loopback or with the explicit, loudly-warned allowInsecureHttp flag.
import { isLoopbackHost } from '../../core/loopback.js';

export class InsecureTransportError extends Error {
  constructor(url: URL) {
    super(
      `Refusing to send to ${url.origin} over plain http: records would cross the network unencrypted. ` +
        `Fix: use an https:// URL; only if this is a trusted internal network, set allowInsecureHttp: true on the destination.`,
    );
    this.name = 'InsecureTransportError';
  }
}

/** Returns a warning to log and show in status when an insecure URL is explicitly allowed. */
export function checkTransport(url: URL, allowInsecureHttp: boolean): string | undefined {
  if (url.protocol === 'https:') return undefined;
  if (url.protocol !== 'http:')
    throw new Error(`Unsupported URL scheme ${url.protocol} in ${url.origin}: use https://`);
  if (isLoopbackHost(url.hostname)) return undefined;
  if (!allowInsecureHttp) throw new InsecureTransportError(url);
  return `INSECURE: records to ${url.origin} travel unencrypted (allowInsecureHttp is set)`;
}
