// The test side of the ingest API: the real server of main/sandbox plus fault plans for tests.
import type { FaultPlan, IngestFault } from '../../main/sandbox/ingest-server.js';

export { startIngestServer, type IngestServer } from '../../main/sandbox/ingest-server.js';

/** Fails roughly `rate` of requests with a mix of 503, 429 + Retry-After, resets before and after applying. */
export function mixedFaults(rate: number, random: () => number): FaultPlan {
  const kinds: IngestFault[] = [
    { kind: 'status', status: 503 },
    { kind: 'status', status: 429, headers: { 'retry-after': '0' } },
    { kind: 'reset' },
    { kind: 'reset', afterApply: true },
  ];
  return () => (random() < rate ? kinds[Math.floor(random() * kinds.length)] : undefined);
}
