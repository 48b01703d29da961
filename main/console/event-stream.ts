// Server-Sent Events for the web console: contract events as `event: <name>` + JSON data, a heartbeat, cleanup on disconnect.
import type { IncomingMessage, ServerResponse } from 'node:http';

export type EventSubscribe = (listener: (event: string, payload: unknown) => void) => () => void;

export interface EventStreamOptions {
  heartbeatMs: number;
  /** Events sent first, e.g. the current status, so the page needs no separate fetch. */
  initial?: [event: string, payload: unknown][];
  /** A client this far behind (bytes queued) is disconnected; its browser reconnects and starts fresh. */
  maxBufferedBytes?: number;
}

/** Streams events until the client goes away or the returned close function is called. */
export function openEventStream(
  req: IncomingMessage,
  res: ServerResponse,
  subscribe: EventSubscribe,
  options: EventStreamOptions,
): () => void {
  const maxBuffered = options.maxBufferedBytes ?? 4 * 1024 * 1024;
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.write('retry: 2000\n\n');
  const send = (event: string, payload: unknown) => {
    if (res.writableLength > maxBuffered) {
      close();
      return;
    }
    res.write(`event: ${event}\ndata: ${JSON.stringify(payload ?? null)}\n\n`);
  };
  for (const [event, payload] of options.initial ?? []) send(event, payload);
  const unsubscribe = subscribe(send);
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), options.heartbeatMs);
  heartbeat.unref();
  let closed = false;
  function close(): void {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    unsubscribe();
    res.end();
  }
  req.on('close', close);
  res.on('error', close);
  return close;
}
