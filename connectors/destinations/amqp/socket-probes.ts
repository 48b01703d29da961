// The first steps of an AMQP check: a bare TCP connect and a TLS handshake with the destination's settings.
import net from 'node:net';
import tls from 'node:tls';
import type { AmqpTlsOptions } from './tls-files.js';

/** Connects and closes again; resolves with the milliseconds it took, rejects with the socket error or a timeout. */
export function tcpProbe(host: string, port: number, timeoutMs: number): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })),
    );
    socket.once('connect', () => {
      socket.destroy();
      resolve(Math.round(performance.now() - started));
    });
    socket.once('error', reject);
  });
}

export interface TlsFacts {
  protocol: string;
  subject: string;
  validTo: string;
}

/** Completes a verified TLS handshake and closes; rejects with the TLS error (unknown CA, wrong name…). */
export function tlsProbe(
  host: string,
  port: number,
  options: AmqpTlsOptions,
  timeoutMs: number,
): Promise<TlsFacts> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host, port, ...options });
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(Object.assign(new Error(`no TLS answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })),
    );
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      const facts = {
        protocol: socket.getProtocol() ?? 'unknown',
        subject: typeof cert.subject?.CN === 'string' ? `CN=${cert.subject.CN}` : 'unknown',
        validTo: cert.valid_to ?? 'unknown',
      };
      socket.destroy();
      resolve(facts);
    });
    socket.once('error', reject);
  });
}
