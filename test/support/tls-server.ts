// A real HTTPS server on a free 127.0.0.1 port with the given certificate, client-cert and protocol settings.
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { SecureVersion, TLSSocket } from 'node:tls';

export interface TlsServerOptions {
  cert: string;
  key: string;
  /** CA(s) that client certificates must chain to (PEM). */
  ca?: string;
  /** Ask for a client certificate and refuse the handshake without a valid one. */
  requestCert?: boolean;
  minVersion?: SecureVersion;
  maxVersion?: SecureVersion;
  /** Default: 200 with JSON { ok, method, path, clientCert (subject CN or null), body }. */
  handler?: (request: IncomingMessage, response: ServerResponse) => void;
}

export interface TlsServer {
  url: string;
  port: number;
  /** Requests that reached the handler. */
  requests(): number;
  close(): Promise<void>;
}

function defaultHandler(request: IncomingMessage, response: ServerResponse): void {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const peer = (request.socket as TLSSocket).getPeerCertificate();
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        ok: true,
        method: request.method,
        path: request.url,
        clientCert: peer?.subject?.CN ?? null,
        body: Buffer.concat(chunks).toString('utf8'),
      }),
    );
  });
}

/** Starts the server; always close() it (afterAll/afterEach). */
export async function startTlsServer(options: TlsServerOptions): Promise<TlsServer> {
  const legacy = options.maxVersion !== undefined && ['TLSv1', 'TLSv1.1'].includes(options.maxVersion);
  let count = 0;
  const handler = options.handler ?? defaultHandler;
  const server = https.createServer(
    {
      cert: options.cert,
      key: options.key,
      ...(options.ca ? { ca: options.ca } : {}),
      requestCert: options.requestCert ?? false,
      rejectUnauthorized: options.requestCert ?? false,
      ...(options.minVersion ? { minVersion: options.minVersion } : {}),
      ...(options.maxVersion ? { maxVersion: options.maxVersion } : {}),
      // OpenSSL 3 refuses TLS below 1.2 at its default security level; a legacy test server must lower it.
      ...(legacy ? { ciphers: 'DEFAULT@SECLEVEL=0' } : {}),
    },
    (request, response) => {
      count += 1;
      handler(request, response);
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    requests: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
