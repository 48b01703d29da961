// The benchmark's agent side: the real Engine in this process drains a seeded outbox to a broker destination.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import type { CapturedChange } from '../../connectors/core/change.js';
import { agentConfigSchema } from '../../main/config/schema.js';
import { Engine } from '../../main/engine/engine.js';
import { Outbox } from '../../main/outbox/outbox.js';
import { outboxFile } from '../../main/shared/data-dir.js';
import type { SecretStore } from '../../main/secrets/secret-store.js';

const CONNECTION = 'bench';

function memoryStore(values: Record<string, string>): SecretStore {
  const stored = new Map(Object.entries(values));
  return {
    backend: 'file',
    description: 'bench store',
    get: (name) => Promise.resolve(stored.get(name)),
    set: (name, value) => Promise.resolve(void stored.set(name, value)),
    delete: (name) => Promise.resolve(stored.delete(name)),
    list: () => Promise.resolve([...stored.keys()].sort()),
  };
}

/**
 * Seeds `changes` into a fresh outbox in `dir`, starts the engine with `destination` and returns records/s from the
 * first record acknowledged by the broker and settled until the last one, as the raw loop counts from its first
 * publish on a connected client: the engine's start and the broker connect are left out of both (and printed).
 */
export async function agentRate(
  dir: string,
  destination: Record<string, unknown>,
  changes: CapturedChange[],
  secrets: Record<string, string> = {},
): Promise<number> {
  const dataDir = join(dir, 'data');
  const inbox = join(dir, 'inbox');
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(inbox, { recursive: true });
  const seed = Outbox.open(outboxFile(dataDir), { synchronous: 'FULL', busyTimeoutMs: 5000 });
  for (let i = 0; i < changes.length; i += 5000)
    seed.enqueue(CONNECTION, { changes: changes.slice(i, i + 5000), checkpoints: [] });
  seed.close();
  const config = agentConfigSchema.parse({
    configVersion: 1,
    outbox: { minFreeDiskBytes: 0 },
    connections: [{ id: CONNECTION, source: { type: 'folder', path: inbox }, destination }],
  });
  const started = performance.now();
  let firstAt = 0;
  let counted = 0;
  const engine = await Engine.start({
    config,
    dataDir,
    logger: pino({ level: 'silent' }),
    version: 'bench',
    secretStore: memoryStore(secrets),
  });
  try {
    let last = -1;
    let lastChange = Date.now();
    for (;;) {
      const { pending } = engine.outbox.counts(CONNECTION);
      if (firstAt === 0 && pending < changes.length) {
        firstAt = performance.now();
        counted = pending;
        console.log(
          `  (engine start and broker connect: ${((firstAt - started) / 1000).toFixed(2)} s, not counted)`,
        );
      }
      if (pending === 0) break;
      if (pending !== last) [last, lastChange] = [pending, Date.now()];
      else if (Date.now() - lastChange > 30_000)
        throw new Error(
          `delivery stalled with ${pending} records open: ${JSON.stringify(engine.status().connections[0]?.destination)}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const elapsedS = (performance.now() - firstAt) / 1000;
    const dead = engine.outbox.counts(CONNECTION).dead;
    if (dead > 0)
      throw new Error(`${dead} records were dead-lettered: the benchmark's broker setup is wrong`);
    return counted / elapsedS;
  } finally {
    await engine.stop(5000);
  }
}
