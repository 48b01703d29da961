// Which connections an admin paused: a small state file in the data dir, so a restart keeps them paused.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomically } from '../shared/atomic-write.js';

export const pausedFileName = 'paused-connections.json';

/**
 * Pausing is an operator's temporary action, not configuration: it lives next to the outbox rather than in the
 * config file, which deployment tools may own (and the sandbox has no config file at all).
 */
export class PausedConnections {
  private readonly ids: Set<string>;
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = join(dataDir, pausedFileName);
    this.ids = new Set(readIds(this.file));
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  async set(id: string, paused: boolean): Promise<void> {
    if (paused === this.ids.has(id)) return;
    if (paused) this.ids.add(id);
    else this.ids.delete(id);
    await writeFileAtomically(this.file, `${JSON.stringify({ paused: [...this.ids].sort() }, null, 2)}\n`);
  }
}

/** A missing or unreadable file means nothing is paused (never a reason not to start). */
function readIds(file: string): string[] {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { paused?: unknown };
    return Array.isArray(parsed.paused)
      ? parsed.paused.filter((v): v is string => typeof v === 'string')
      : [];
  } catch {
    return [];
  }
}
