// Which desktop notifications to show for successive status snapshots: rate-limited, coalesced, per-connection cooldown.
import type { AgentStatus } from '../../preload/contract/status.js';
import { detectDesktopEvents, isStillRelevant, type DesktopEvent } from './desktop-events.js';
import { plural } from '../engine/plain-words.js';

export interface DesktopNotification {
  title: string;
  body: string;
  /** Connection ids it is about (a click can open the first one). */
  connections: string[];
}

export interface NotificationPolicyOptions {
  /** At most this many notifications … */
  maxPerWindow: number;
  /** … within this sliding window. */
  windowMs: number;
  /** After a notification about a connection and kind, the next one for it waits this long (and collects what came meanwhile). */
  cooldownMs: number;
}

export const defaultNotificationPolicy: NotificationPolicyOptions = {
  maxPerWindow: 3,
  windowMs: 10 * 60_000,
  cooldownMs: 5 * 60_000,
};

const maxLines = 4;
const clip = (text: string, max = 120) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const keyOf = (e: DesktopEvent) => `${e.kind}\u0000${e.connection}`;

function merge(held: DesktopEvent | undefined, event: DesktopEvent): DesktopEvent {
  if (held?.kind === 'dead-letters' && event.kind === 'dead-letters') {
    return { ...event, added: held.added + event.added };
  }
  return event;
}

function line(e: DesktopEvent): string {
  return e.kind === 'dead-letters'
    ? `${e.name}: ${plural(e.added, 'new record')} in the dead-letter queue`
    : `${e.name}: sending paused, the destination keeps failing`;
}

export function composeNotification(events: readonly DesktopEvent[]): DesktopNotification {
  const connections = [...new Set(events.map((e) => e.connection))];
  const [only] = events;
  if (events.length === 1 && only) {
    if (only.kind === 'dead-letters') {
      return {
        title: clip(
          `${only.name}: ${plural(only.added, 'record')} ${only.added === 1 ? 'needs' : 'need'} a decision`,
          80,
        ),
        body:
          `They could not be delivered and are in the dead-letter queue` +
          `${only.detail ? ` (${clip(only.detail)})` : ''}. Open the agent to replay or discard them.`,
        connections,
      };
    }
    return {
      title: clip(`${only.name}: sending paused`, 80),
      body:
        `The destination keeps failing${only.reason ? ` (${clip(only.reason)})` : ''}. ` +
        `The agent retries by itself; records wait safely in the outbox.`,
      connections,
    };
  }
  const lines = events.slice(0, maxLines).map(line);
  if (events.length > maxLines) lines.push(`… and ${events.length - maxLines} more`);
  return { title: 'Integration agent needs attention', body: lines.join('\n'), connections };
}

/** Feed it every status snapshot; call flush() at nextFlushAt() to release what the limits held back. */
export class NotificationPolicy {
  private readonly options: NotificationPolicyOptions;
  private previous: AgentStatus | undefined;
  private readonly held = new Map<string, DesktopEvent>();
  private readonly lastShown = new Map<string, number>();
  private shownAt: number[] = [];

  constructor(
    options: Partial<NotificationPolicyOptions> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.options = { ...defaultNotificationPolicy, ...options };
  }

  observe(status: AgentStatus): DesktopNotification[] {
    for (const event of detectDesktopEvents(this.previous, status)) {
      this.held.set(keyOf(event), merge(this.held.get(keyOf(event)), event));
    }
    for (const [key, event] of this.held) if (!isStillRelevant(event, status)) this.held.delete(key);
    this.previous = status;
    return this.release();
  }

  flush(): DesktopNotification[] {
    return this.release();
  }

  /** When held events may next be shown; undefined when nothing is held. */
  nextFlushAt(): number | undefined {
    if (this.held.size === 0) return undefined;
    const now = this.now();
    this.prune(now);
    const [oldest] = this.shownAt;
    const budgetAt =
      this.shownAt.length >= this.options.maxPerWindow && oldest !== undefined
        ? oldest + this.options.windowMs
        : now;
    const keyAt = Math.min(...[...this.held.keys()].map((key) => this.readyAt(key)));
    return Math.max(budgetAt, keyAt, now);
  }

  private readyAt(key: string): number {
    const last = this.lastShown.get(key);
    return last === undefined ? Number.NEGATIVE_INFINITY : last + this.options.cooldownMs;
  }

  private prune(now: number): void {
    this.shownAt = this.shownAt.filter((at) => at > now - this.options.windowMs);
  }

  private release(): DesktopNotification[] {
    const now = this.now();
    this.prune(now);
    if (this.shownAt.length >= this.options.maxPerWindow) return [];
    const ready = [...this.held].filter(([key]) => this.readyAt(key) <= now);
    if (ready.length === 0) return [];
    for (const [key] of ready) {
      this.held.delete(key);
      this.lastShown.set(key, now);
    }
    this.shownAt.push(now);
    return [composeNotification(ready.map(([, event]) => event))];
  }
}
