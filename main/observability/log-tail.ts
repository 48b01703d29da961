// An in-memory ring of the latest structured log events, fed by the logger as a pino stream, for the UI's Activity page.
import { logLevelValues, toLogEvent, type LogEvent, type LogLevel } from './log-event.js';

export interface RecentLogsQuery {
  connection?: string;
  /** Minimum level: `warn` returns warn, error and fatal. */
  level?: LogLevel;
  /** At most this many events (the newest ones); default and cap: the ring's capacity. */
  limit?: number;
}

export type LogListener = (event: LogEvent) => void;

export class LogTail {
  private readonly ring: (LogEvent | undefined)[];
  private next = 0;
  private seq = 0;
  private readonly listeners = new Set<LogListener>();

  constructor(readonly capacity = 2000) {
    this.ring = new Array<LogEvent | undefined>(capacity);
  }

  /**
   * The pino destination side: one serialized (already redacted) JSON line per call. A line that is not JSON is
   * ignored; a listener that throws does not stop the others or the logger.
   */
  write(line: string): void {
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      return;
    }
    const event = toLogEvent(raw, this.seq + 1);
    if (!event) return;
    this.seq = event.seq;
    this.ring[this.next] = event;
    this.next = (this.next + 1) % this.capacity;
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // a broken subscriber (e.g. a closed UI connection) must never break logging
      }
    }
  }

  /** pino's multistream ends every destination when the logger is closed; the ring stays readable. */
  end(): void {
    this.listeners.clear();
  }

  /** Matching events, oldest first, ending with the newest. */
  recent(query: RecentLogsQuery = {}): LogEvent[] {
    const minLevel = query.level ? logLevelValues[query.level] : 0;
    const limit = Math.min(Math.max(query.limit ?? this.capacity, 0), this.capacity);
    const found: LogEvent[] = [];
    for (let i = 1; i <= this.capacity && found.length < limit; i++) {
      const event = this.ring[(this.next - i + this.capacity) % this.capacity];
      if (!event) break;
      if (query.connection !== undefined && event.connection !== query.connection) continue;
      if (logLevelValues[event.level] < minLevel) continue;
      found.push(event);
    }
    return found.reverse();
  }

  /** Called with every new event; returns the unsubscribe function. */
  subscribe(listener: LogListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
