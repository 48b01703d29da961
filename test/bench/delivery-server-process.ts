// Child process of the delivery benchmark: one loopback ingest server, driven over IPC, on a CPU of its own.
import { createHash } from 'node:crypto';
import { startIngestServer } from '../../main/sandbox/ingest-server.js';

export type ServerCommand = { type: 'summary' } | { type: 'close' };

export interface ServerSummary {
  requests: number;
  applied: number;
  items: number;
  duplicates: number;
  /** sha256 over the applied Idempotency-Keys, sorted: equal for two runs that applied the same requests. */
  keysDigest: string;
}

const server = await startIngestServer({ maxBodyBytes: 64 * 1024 * 1024 });
process.send?.({ type: 'ready', url: server.url });
process.on('message', (message: ServerCommand) => {
  if (message.type === 'summary') {
    const stats = server.stats();
    const keys = server
      .applied()
      .map((a) => a.key)
      .sort();
    const digest = createHash('sha256');
    for (const key of keys) digest.update(key).update('\0');
    const summary: ServerSummary = {
      requests: stats.requests,
      applied: stats.applied,
      items: stats.items,
      duplicates: stats.duplicates,
      keysDigest: digest.digest('hex'),
    };
    process.send?.({ type: 'summary', summary });
  } else {
    void server.close().then(() => process.exit(0));
  }
});
process.on('disconnect', () => void server.close().then(() => process.exit(0)));
