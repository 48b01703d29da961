// Exponential backoff with full jitter (AWS architecture blog): delay = random(0, min(cap, base * 2^(attempt-1))).

export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

/** `attempt` counts the attempts made so far (1 after the first failure). `random` returns [0, 1). */
export function backoffDelayMs(
  policy: BackoffPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
  return Math.floor(random() * ceiling);
}
