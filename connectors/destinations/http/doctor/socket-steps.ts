// The raw connection steps of the doctor: a TCP connect, and an HTTP CONNECT through a proxy (its status line).
import net from 'node:net';
import tls from 'node:tls';
import type { ProxyRoute } from '../proxy.js';
import { withDeadline } from './deadline.js';

/** Opens a TCP connection; rejects with the socket error (ECONNREFUSED…) or a StepTimeoutError. */
export function tcpConnect(address: string, port: number, timeoutMs: number): Promise<net.Socket> {
  const socket = net.connect({ host: address, port });
  const connected = new Promise<net.Socket>((resolve, reject) => {
    socket.once('connect', () => {
      socket.removeListener('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
  return withDeadline(connected, timeoutMs, `TCP connect to ${address}:${port}`, () => socket.destroy());
}

/** TLS to an https:// proxy itself, verified against `ca` (Node's roots plus destination.tls.caFile). */
export function secureProxySocket(
  socket: net.Socket,
  host: string,
  ca: string[] | undefined,
  timeoutMs: number,
): Promise<tls.TLSSocket> {
  const secured = tls.connect({
    socket,
    host,
    ...(net.isIP(host) === 0 ? { servername: host } : {}),
    ...(ca === undefined ? {} : { ca }),
    minVersion: 'TLSv1.2',
  });
  const ready = new Promise<tls.TLSSocket>((resolve, reject) => {
    secured.once('secureConnect', () => resolve(secured));
    secured.once('error', reject);
  });
  return withDeadline(ready, timeoutMs, `TLS to the proxy ${host}`, () => secured.destroy());
}

export interface ConnectAnswer {
  /** e.g. "HTTP/1.1 200 Connection established" */
  statusLine: string;
  status: number;
}

/** Sends CONNECT target through an open connection to the proxy (with its login, never shown) and reads the answer. */
export function proxyConnect(
  socket: net.Socket,
  route: ProxyRoute,
  target: string,
  timeoutMs: number,
): Promise<ConnectAnswer> {
  const lines = [`CONNECT ${target} HTTP/1.1`, `Host: ${target}`];
  if (route.credentials !== undefined) {
    const { username, password } = route.credentials;
    lines.push(`Proxy-Authorization: Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`);
  }
  const answer = new Promise<ConnectAnswer>((resolve, reject) => {
    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) {
        if (received.length > 64 * 1024)
          finish(new Error('the proxy sent an answer without an end of headers'));
        return;
      }
      socket.removeListener('data', onData);
      const rest = received.subarray(end + 4);
      if (rest.length > 0) socket.unshift(rest);
      socket.pause();
      const statusLine = received.subarray(0, received.indexOf('\r\n')).toString('latin1');
      const status = Number(/^HTTP\/\d(?:\.\d)? (\d{3})/.exec(statusLine)?.[1] ?? NaN);
      if (Number.isNaN(status))
        finish(new Error(`the proxy answered something that is not HTTP: "${statusLine.slice(0, 80)}"`));
      else finish(undefined, { statusLine, status });
    };
    const onError = (error: Error) => finish(error);
    const onClose = () => finish(new Error('the proxy closed the connection without answering CONNECT'));
    const finish = (error: Error | undefined, result?: ConnectAnswer) => {
      socket.removeListener('data', onData);
      socket.removeListener('error', onError);
      socket.removeListener('close', onClose);
      if (error !== undefined || result === undefined) reject(error ?? new Error('no answer'));
      else resolve(result);
    };
    socket.on('data', onData);
    socket.once('error', onError);
    socket.once('close', onClose);
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  });
  return withDeadline(answer, timeoutMs, `CONNECT ${target} through ${route.origin}`, () => socket.destroy());
}
