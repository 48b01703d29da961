// Runs one part of the bundle under a time limit: a slow or failing part becomes a note, never a hang or a crash.
import { errorMessage } from '../../shared/error-message.js';

export type PartOutcome<T> = { ok: true; value: T } | { ok: false; note: string };

export async function runPart<T>(
  what: string,
  timeoutMs: number,
  work: () => Promise<T> | T,
): Promise<PartOutcome<T>> {
  if (timeoutMs <= 0) return { ok: false, note: `${what} skipped: the bundle time limit was reached` };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<PartOutcome<T>>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, note: `${what} skipped: it took longer than ${timeoutMs} ms` }),
      timeoutMs,
    );
    timer.unref();
  });
  const attempt = (async (): Promise<PartOutcome<T>> => {
    try {
      return { ok: true, value: await work() };
    } catch (error) {
      return { ok: false, note: `${what} failed: ${errorMessage(error)}` };
    }
  })();
  try {
    return await Promise.race([attempt, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
