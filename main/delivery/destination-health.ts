// The live health of one destination's delivery worker, as shown in status.
import type { ApiNotice } from '../../connectors/core/destination.js';
import type { GateSnapshot } from './delivery-gate.js';

export type DestinationState =
  'idle' | 'sending' | 'retrying' | 'throttled' | 'circuit-open' | 'outside-window' | 'paused' | 'stopped';

export interface DestinationHealth extends GateSnapshot {
  state: DestinationState;
  detail?: string;
  lastSuccessAt?: number;
  lastError?: string;
  lastErrorAt?: number;
  consecutiveFailures: number;
  /** The API's latest Deprecation / Sunset announcement, and when a response last carried it. */
  apiNotice?: ApiNotice & { seenAt: number };
}
