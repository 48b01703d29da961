// Engine activity events (captured, settled, dead-lettered) for metrics, throughput charts and alerts.

export type EngineActivity =
  /** `records` the source handed over, `enqueued` of them newly stored (the rest were already in the outbox). */
  | { kind: 'captured'; connection: string; records: number; enqueued: number }
  | {
      kind: 'settled';
      connection: string;
      /** The connection's destination type (http, mqtt, amqp, …). */
      destination: string;
      delivered: number;
      retried: number;
      dead: number;
      latencyMs: number;
    }
  | { kind: 'dead-letter'; connection: string; ids: number[]; reason: string };

export type ActivityListener = (event: EngineActivity) => void;

/** A listener set where one failing listener never breaks capture or delivery. */
export class ActivityHub {
  private readonly listeners = new Set<ActivityListener>();

  constructor(private readonly onListenerError: (error: unknown) => void) {}

  on(listener: ActivityListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: EngineActivity): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }
}
