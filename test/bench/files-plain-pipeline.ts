// The reference for bench:files: a plain, non-durable Node pipeline (watch → readFile → got POST → unlink), as a
// flow tool's core nodes would do it. Run as its own process: `node --import tsx files-plain-pipeline.ts DIR URL N`.
import { readdirSync, watch } from 'node:fs';
import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import got from 'got';

const [dir, url, concurrencyText] = process.argv.slice(2);
if (!dir || !url) throw new Error('usage: files-plain-pipeline.ts DIR URL [CONCURRENCY]');
const concurrency = Number(concurrencyText ?? 4);

const queued = new Set<string>();
const waiting: string[] = [];
let running = 0;

function offer(name: string): void {
  if (name.startsWith('.') || queued.has(name)) return;
  queued.add(name);
  waiting.push(name);
  pump();
}

function pump(): void {
  while (running < concurrency && waiting.length > 0) {
    const name = waiting.shift()!;
    running += 1;
    void handle(name).finally(() => {
      running -= 1;
      queued.delete(name);
      pump();
    });
  }
}

async function handle(name: string): Promise<void> {
  const path = join(dir!, name);
  let body: Buffer;
  try {
    body = await readFile(path);
  } catch {
    return; // gone already (a second event for a handled file)
  }
  await got.post(url!, {
    body,
    headers: { 'content-type': 'application/json', 'idempotency-key': name },
    retry: { limit: 2 },
  });
  await unlink(path);
}

watch(dir, (_event, name) => {
  if (name) offer(name.toString());
});
for (const name of readdirSync(dir)) offer(name);
process.stdout.write('ready\n');
