// The web console under a flood of sockets without a token: caps in total and per client, idle timeouts, SSE caps, prompt close.
import { connect, type Socket } from 'node:net';
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../support/agent-process.js';
import { sessionHeaders, useConsole, type ConsoleUnderTest } from './console-harness.js';

const start = useConsole('console-limits-');

/** Opens a socket that never sends a byte; resolves once connected, and records when the server closes it. */
function idleSocket(port: number, localAddress: string): Promise<{ socket: Socket; closed: () => boolean }> {
  return new Promise((resolve, reject) => {
    let closed = false;
    const socket = connect({ host: '127.0.0.1', port, localAddress });
    socket.on('close', () => (closed = true));
    socket.on('error', () => undefined);
    socket.once('connect', () => resolve({ socket, closed: () => closed }));
    socket.once('error', reject);
  });
}

/** Opens /api/events and resolves with the HTTP status (the stream stays open while the test runs). */
function openStream(c: ConsoleUnderTest, cookie: string): Promise<{ status: number; end(): void }> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port: c.console.port,
      path: '/api/events',
      headers: { host: c.host, ...sessionHeaders(cookie), accept: 'text/event-stream' },
    });
    req.on('response', (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, end: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

const statusCall = (c: ConsoleUnderTest) =>
  c.send('/api/call/status', {
    method: 'POST',
    headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json' },
    body: '{}',
  });

describe('web console: connection limits', () => {
  it('closes sockets beyond the per-client cap at once and silent sockets after the idle time', async () => {
    const c = await start({ maxConnectionsPerClient: 4, idleSocketMs: 300 });
    const sockets: Awaited<ReturnType<typeof idleSocket>>[] = [];
    for (let i = 0; i < 6; i++) sockets.push(await idleSocket(c.console.port, '127.0.0.9'));
    await waitFor(
      () => sockets.filter((s) => s.closed()).length >= 2,
      5000,
      'the sockets over the cap to close',
    );
    expect(sockets.slice(0, 4).some((s) => s.closed())).toBe(false);
    await waitFor(() => sockets.every((s) => s.closed()), 5000, 'the silent sockets to time out');
    expect((await statusCall(c)).status).toBe(200);
  });

  it('caps sockets in total, whatever addresses the flood uses, and answers again once it is gone', async () => {
    const c = await start({ maxConnections: 8, idleSocketMs: 300 });
    const sockets: Awaited<ReturnType<typeof idleSocket>>[] = [];
    for (let i = 0; i < 12; i++) sockets.push(await idleSocket(c.console.port, `127.0.1.${i + 1}`));
    await waitFor(
      () => sockets.filter((s) => s.closed()).length >= 4,
      5000,
      'the sockets over the cap to close',
    );
    await waitFor(() => sockets.every((s) => s.closed()), 5000, 'the silent sockets to time out');
    expect((await statusCall(c)).status).toBe(200);
  });

  it('caps event streams per session and in total (429), and closes promptly with streams and idle sockets open', async () => {
    const c = await start({ maxStreamsPerSession: 2, maxStreams: 3 });
    const first = await c.signIn();
    const second = await c.signIn();
    const streams = [await openStream(c, first), await openStream(c, first)];
    expect(streams.map((s) => s.status)).toEqual([200, 200]);
    const third = await openStream(c, first);
    expect(third.status).toBe(429);
    streams.push(await openStream(c, second));
    expect(streams[2]!.status).toBe(200);
    expect((await openStream(c, second)).status).toBe(429);
    streams[0]!.end();
    await waitFor(() => c.subscribers() === 2, 5000, 'the ended stream to unsubscribe');
    const again = await openStream(c, second);
    expect(again.status).toBe(200);
    const idle = await idleSocket(c.console.port, '127.0.0.1');
    await c.console.close();
    expect(c.subscribers()).toBe(0);
    await waitFor(() => idle.closed(), 5000, 'the idle socket to be closed by close()');
  });
});
