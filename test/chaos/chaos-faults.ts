// The chaos test's fault plan: a seeded share of requests fails, spread over every fault the ingest server knows.
import type { FaultPlan, IngestFault } from '../../main/sandbox/ingest-server.js';

/** Client timeouts the faults are sized against (the agent's destination.timeouts). */
export interface ChaosTimeouts {
  responseMs: number;
  totalMs: number;
}

export interface ChaosFaults {
  plan: FaultPlan;
  /** How often each fault was handed out, by name. */
  planned: Map<string, number>;
}

/** `rate` of requests fail: 503, 429 (three forms), resets before/after apply, delay past the timeout, hang, slow body, slow read. */
export function chaosFaults(rate: number, random: () => number, timeouts: ChaosTimeouts): ChaosFaults {
  const menu: [string, number, () => IngestFault][] = [
    ['503', 4, () => ({ kind: 'status', status: 503 })],
    ['429 Retry-After seconds', 2, () => ({ kind: 'rate-limit', seconds: random() < 0.7 ? 0 : 1 })],
    ['429 Retry-After date', 1, () => ({ kind: 'rate-limit', seconds: 1, form: 'http-date' })],
    ['429 RateLimit-Reset', 1, () => ({ kind: 'rate-limit', seconds: 1, form: 'ratelimit-reset' })],
    ['reset before apply', 3, () => ({ kind: 'reset' })],
    ['reset after apply', 3, () => ({ kind: 'reset', afterApply: true })],
    ['delay past the timeout', 1, () => ({ kind: 'delay', ms: timeouts.responseMs + 150 })],
    ['hang', 1, () => ({ kind: 'hang' })],
    // Answers are 20+ bytes ({"id":"rec_N","items":N}): one byte per tick takes longer than the total timeout.
    ['slow body', 1, () => ({ kind: 'slow', intervalMs: Math.ceil((timeouts.totalMs * 1.5) / 20) })],
    ['slow read', 1, () => ({ kind: 'slow-read', bytesPerSecond: 20_000 })],
  ];
  const weight = menu.reduce((sum, [, w]) => sum + w, 0);
  const planned = new Map<string, number>();
  const plan: FaultPlan = () => {
    if (random() >= rate) return undefined;
    let pick = random() * weight;
    for (const [name, w, make] of menu) {
      pick -= w;
      if (pick < 0) {
        planned.set(name, (planned.get(name) ?? 0) + 1);
        return make();
      }
    }
    return undefined;
  };
  return { plan, planned };
}
