// The running agent's answer to `integration-agent config reload` (SIGHUP): a small JSON file in the data dir the CLI waits for.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically } from '../shared/atomic-write.js';
import type { ReloadOutcome } from './config-watch.js';

export const reloadAnswerFile = (dataDir: string) => join(dataDir, 'reload-answer.json');

/** What a SIGHUP led to: a reload of the config file, or nothing to reload (an agent without one, the sandbox). */
export type ReloadAnswerOutcome = ReloadOutcome | { kind: 'no-config-file' };

export interface ReloadAnswer {
  /** The agent that answered: an answer left by an earlier agent on this data dir is not taken for this one's. */
  pid: number;
  /** When the agent received the SIGHUP (epoch ms): the answer to a signal sent at T has `signalledAt` >= T. */
  signalledAt: number;
  outcome: ReloadAnswerOutcome;
}

/** Replaces the answer atomically (mode 0600, like the other data-dir files), so a reader never sees half of one. */
export async function writeReloadAnswer(dataDir: string, answer: ReloadAnswer): Promise<void> {
  await writeFileAtomically(reloadAnswerFile(dataDir), `${JSON.stringify(answer)}\n`, { mode: 0o600 });
}

/** Agent `pid`'s answer to a SIGHUP sent at `sentAt` (epoch ms) or later, once it has written one. */
export async function readReloadAnswer(
  dataDir: string,
  pid: number,
  sentAt: number,
): Promise<ReloadAnswer | undefined> {
  let text: string;
  try {
    text = await readFile(reloadAnswerFile(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // no reload answered yet
    throw error;
  }
  let answer: Partial<ReloadAnswer>;
  try {
    answer = JSON.parse(text) as Partial<ReloadAnswer>;
  } catch {
    return undefined; // not the agent's (its writes are atomic): its answer will replace it
  }
  return answer.pid === pid && typeof answer.signalledAt === 'number' && answer.signalledAt >= sentAt
    ? (answer as ReloadAnswer)
    : undefined;
}
