// One call wires an engine's activity and status events into the metrics, the throughput history and the alerts.
import type { AgentStatus } from '../../preload/contract/status.js';
import type { AlertInput } from '../alerts/alert-types.js';
import type { AgentMetrics } from '../observability/metrics.js';
import type { ThroughputHistory } from '../observability/throughput-history.js';
import type { EngineActivity } from './engine-activity.js';

export interface ObservableEngine {
  onActivity(listener: (event: EngineActivity) => void): () => void;
  onStatus(listener: (status: AgentStatus) => void): () => void;
}

/** The alert side (an AlertMonitor): takes the latest inputs and evaluates them. */
export interface AlertFeed {
  update(input: AlertInput): unknown;
}

export interface BindingOptions {
  /** Free bytes on the data directory's disk (e.g. `() => freeDiskBytes(dataDir)`), read with each status. */
  freeDiskBytes?: () => number;
  /** Called when a metrics or alert update throws; the engine's events never fail because of it. */
  onError?: (error: unknown) => void;
}

/** Returns the function that unbinds everything. */
export function bindEngineObservability(
  engine: ObservableEngine,
  metrics: AgentMetrics,
  history: ThroughputHistory,
  alerts?: AlertFeed,
  options: BindingOptions = {},
): () => void {
  const guarded =
    <T>(handle: (value: T) => void) =>
    (value: T) => {
      try {
        handle(value);
      } catch (error) {
        options.onError?.(error);
      }
    };
  const offActivity = engine.onActivity(guarded((event: EngineActivity) => observe(event, metrics, history)));
  const offStatus = engine.onStatus(
    guarded((status: AgentStatus) => {
      metrics.updateFromStatus(status);
      const freeDiskBytes = options.freeDiskBytes?.();
      alerts?.update({ status, ...(freeDiskBytes !== undefined ? { freeDiskBytes } : {}) });
    }),
  );
  return () => {
    offActivity();
    offStatus();
  };
}

/** Dead letters are counted from `settled` (it carries every settlement); `dead-letter` feeds the UI's event instead. */
function observe(event: EngineActivity, metrics: AgentMetrics, history: ThroughputHistory): void {
  if (event.kind === 'captured') {
    metrics.captured(event.connection, event.records);
    metrics.enqueued(event.connection, event.enqueued);
    history.record(event.connection, 'captured', event.records);
  } else if (event.kind === 'settled') {
    metrics.settled(event.connection, event);
    history.record(event.connection, 'delivered', event.delivered);
    history.record(event.connection, 'failed', event.retried + event.dead);
  }
}
