// Keeps a flood of sockets from starving the agent: caps in total and per client address, timeouts for idle and slow sockets.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export interface ConnectionLimits {
  maxConnections: number;
  maxPerClient: number;
  /** No traffic for this long (including a socket that never sends a byte) closes the socket. */
  idleSocketMs: number;
}

/** Beyond the caps, sockets are closed as soon as they are accepted, so file descriptors stay free for the engine. */
export function limitConnections(server: Server, limits: ConnectionLimits): void {
  server.maxConnections = limits.maxConnections;
  server.headersTimeout = Math.min(10_000, limits.idleSocketMs);
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  const perClient = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const client = socket.remoteAddress ?? 'unknown';
    const count = (perClient.get(client) ?? 0) + 1;
    perClient.set(client, count);
    socket.once('close', () => {
      const left = (perClient.get(client) ?? 1) - 1;
      if (left > 0) perClient.set(client, left);
      else perClient.delete(client);
    });
    if (count > limits.maxPerClient) {
      socket.destroy();
      return;
    }
    socket.setTimeout(limits.idleSocketMs, () => socket.destroy());
  });
}
